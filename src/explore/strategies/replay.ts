import { InterleaveError } from '../../errors.ts';
import { type Chooser, defaultChoice, type SchedulerView } from '../engine/run-types.ts';
import type { Segment } from '../replay/token.ts';
import type { Strategy } from './strategy.ts';

/**
 * A replay token's one schedule, followed exactly: `explore({ replay })` and INTERLEAVE_REPLAY.
 * Like any strategy it hands out choosers; it hands out one, which throws
 * `ERR_REPLAY_DIVERGED` at the first step where the task the token names cannot run.
 */
export class ReplayStrategy implements Strategy {
  readonly exhausted = false;
  readonly replaying = true;
  readonly #segments: readonly Segment[];
  #given = false;

  constructor(segments: readonly Segment[]) {
    this.#segments = segments;
  }

  next(): Chooser | undefined {
    if (this.#given) return undefined;
    this.#given = true;
    return strictChooser(this.#segments);
  }

  done(): void {
    // One schedule: nothing to learn.
  }
}

/**
 * Follows `segments` exactly, and throws `ERR_REPLAY_DIVERGED` at the first step where the
 * named task cannot run. After the last segment, default choices (a schedule that failed
 * ended there; a fixed program runs on to completion).
 */
function strictChooser(segments: readonly Segment[]): Chooser {
  let index = 0;
  let used = 0;
  return {
    choose(enabled, current, step, view) {
      // Steps are asked for in order: walk the segments instead of expanding them.
      while (index < segments.length && used >= (segments[index] as Segment).steps) {
        index++;
        used = 0;
      }
      const segment = segments[index];
      if (segment === undefined) return defaultChoice(enabled, current, view.fairTurn);
      used++;
      if (enabled.includes(segment.task)) return segment.task;
      throw divergence(step, segment.task, enabled, view);
    },
  };
}

function divergence(
  step: number,
  task: number,
  enabled: readonly number[],
  view: SchedulerView,
): InterleaveError {
  const state = view.state(task);
  const why =
    state === 'finished' || state === 'failed'
      ? `task ${task} has already ${state === 'finished' ? 'finished' : 'failed'}`
      : `task ${task} has not reached a scheduling point (it is running or blocked)`;
  const could = enabled.map((t) => `task ${t} (at \`${view.pointLabel(t) ?? '?'}\`)`).join(', ');
  return new InterleaveError(
    'ERR_REPLAY_DIVERGED',
    `The replay diverged at step ${step + 1}: the token runs task ${task} there, but ${why}; ` +
      `tasks that could run: ${could}. The program changed since the token was made, or ` +
      `something outside the scheduler's control (timing, I/O, Math.random) decided the order. ` +
      `Run the exploration again without \`replay\` (and without INTERLEAVE_REPLAY) to get a ` +
      `token for the program as it is now.`,
  );
}
