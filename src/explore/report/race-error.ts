import { InterleaveError } from '../../errors.ts';
import { DEADLOCK_STEPS } from '../../internal/defaults.ts';
import { causeText } from '../../internal/error-text.ts';
import { formatTraceTable } from '../../trace/table.ts';
import type { TraceStep } from '../../trace/types.ts';
import { describeOutcome, sameOutcome, type ScheduleOutcome } from '../replay/outcome.ts';
import type { StrategyName } from '../strategies/registry.ts';

/**
 * The codes a {@link RaceError} carries: `ERR_RACE_FOUND` (a task threw or `check` failed),
 * `ERR_DEADLOCK` (every unfinished task was blocked) or `ERR_LIVELOCK` (the schedule did not
 * finish within `maxSteps` steps).
 *
 * @example
 * ```ts
 * import { RaceError, type RaceErrorCode } from 'interleave';
 *
 * function isDeadlockFound(err: unknown): boolean {
 *   const code: RaceErrorCode = 'ERR_DEADLOCK';
 *   return err instanceof RaceError && err.code === code;
 * }
 * ```
 */
export type RaceErrorCode = 'ERR_RACE_FOUND' | 'ERR_DEADLOCK' | 'ERR_LIVELOCK';

/**
 * How replaying a failing schedule's token once, before it is reported, went: `checked`
 * false when it was not replayed (the schedule took `tookMs`, too long to run twice).
 */
export type Confirmation =
  | { readonly checked: false; readonly tookMs: number }
  | {
      readonly checked: true;
      /** How the replay ended; undefined when it could not follow the token. */
      readonly outcome: ScheduleOutcome | undefined;
      /** What stopped the replay (`ERR_REPLAY_DIVERGED`), when it could not follow. */
      readonly diverged: unknown;
      /** Scheduling points reached outside every task during the replay. */
      readonly outsidePoints: number;
    };

/** Everything a {@link RaceError} is built from. */
export interface RaceDetails {
  readonly code: RaceErrorCode;
  /** The task that threw, or undefined when `check` failed or for a deadlock. */
  readonly task: number | undefined;
  readonly cause: unknown;
  readonly trace: readonly TraceStep[];
  readonly taskNames: readonly string[];
  readonly replay: string;
  readonly strategy: StrategyName;
  readonly seed: number;
  /** 1-based number of the schedule that failed. */
  readonly schedule: number;
  readonly preemptions: number;
  readonly blocked: readonly number[];
  readonly abandoned: readonly number[];
  /** The abandoned tasks were given up on at once: nothing in the process could wake them. */
  readonly abandonedAtOnce?: boolean;
  readonly shrinkRuns: number;
  readonly replayed: boolean;
  /** A deadlock whose blocked tasks all finished without error once released. */
  readonly blockedSettled: boolean;
  /** Task switches the fairness rule made (after 64 steps in a row): not preemptions. */
  readonly fairSwitches?: number;
  /** A livelock: who kept running in its last steps, at which point, most steps first. */
  readonly spun?: readonly { task: number; label: string; steps: number }[];
  readonly maxSteps: number;
  readonly stepTimeout: number;
  readonly settleTimeout: number;
  readonly teardownError: unknown;
  /** A replay: how the token's schedule ended when it was made. */
  readonly recorded?: ScheduleOutcome | undefined;
  /** How this schedule ended. */
  readonly outcome?: ScheduleOutcome | undefined;
  /** Not a replay: how replaying this schedule's token once went. */
  readonly confirmation?: Confirmation | undefined;
}

/**
 * Thrown by {@link explore} when a schedule fails: `ERR_RACE_FOUND` when a task threw or
 * `check` failed (`cause` is that error), `ERR_DEADLOCK` when every unfinished task was
 * blocked. The message draws the schedule as a per-task table and says how to replay it.
 *
 * @example
 * ```ts
 * import { checkpoint, explore, RaceError } from 'interleave';
 *
 * try {
 *   await explore({ tasks: [async () => checkpoint(), async () => { throw new Error('boom'); }] });
 * } catch (err) {
 *   if (err instanceof RaceError) {
 *     console.log(err.code, err.replay); // ERR_RACE_FOUND il2.2.…
 *     console.log(err.trace.map((s) => `${s.task}:${s.label}`));
 *   }
 * }
 * ```
 */
export class RaceError extends InterleaveError {
  declare readonly code: RaceErrorCode;
  /** The token that replays this schedule: `explore({ ...spec, replay })`. */
  readonly replay: string;
  /** The steps of the failing schedule, in order. */
  readonly trace: readonly TraceStep[];
  /** The task that threw, or undefined when `check` failed or for a deadlock. */
  readonly task: number | undefined;
  readonly strategy: StrategyName;
  readonly seed: number;
  /** 1-based number of the schedule that failed (before shrinking). */
  readonly schedule: number;
  /** Preemptions in the reported (shrunk) schedule. */
  readonly preemptions: number;
  /** Tasks still blocked when a deadlock was declared. */
  readonly blocked: readonly number[];
  /** Tasks that had not settled within `settleTimeout` after the failure. */
  readonly abandoned: readonly number[];
  /**
   * Whether the token reproduces this schedule. Before a failure is reported, explore replays
   * its token once: `true` when that replay ended the same way (same failure, same failing
   * task, same steps blocked), `false` when it did not, so something outside the scheduler's
   * control (I/O or database timing, real timers, points outside the tasks) decided part of
   * the order; the message then says what differed. For a run that was itself a replay, the
   * same comparison against the outcome the token recorded. `undefined` when not checked: a
   * schedule slower than 500 ms (e.g. a deadlock on a real database) is not run twice, and a
   * token of format 1 recorded no outcome.
   */
  readonly reproducible: boolean | undefined;

  /** @internal Made by `explore`, not by users. */
  constructor(details: RaceDetails) {
    super(details.code, raceMessage(details), { cause: details.cause });
    this.replay = details.replay;
    this.trace = details.trace;
    this.task = details.task;
    this.strategy = details.strategy;
    this.seed = details.seed;
    this.schedule = details.schedule;
    this.preemptions = details.preemptions;
    this.blocked = details.blocked;
    this.abandoned = details.abandoned;
    this.reproducible = reproducibleOf(details);
  }

  override get name(): string {
    return 'RaceError';
  }
}

function raceMessage(d: RaceDetails): string {
  const what =
    d.code === 'ERR_DEADLOCK'
      ? `a deadlock: ${list(d.blocked)} blocked and none could go on`
      : d.code === 'ERR_LIVELOCK'
        ? `a schedule that did not finish within ${d.maxSteps} steps (a livelock: tasks kept reaching scheduling points without finishing${spunText(d)})`
        : d.task === undefined
          ? 'a schedule in which check() failed'
          : `a schedule in which task ${d.task}${named(d.taskNames[d.task])} threw`;
  const howFound = d.replayed
    ? 'replaying its token'
    : `schedule ${d.schedule} of ${d.strategy}${d.strategy === 'exhaustive' ? '' : `, seed ${d.seed}`}`;
  const shrunk = d.shrinkRuns > 0 ? `, shrunk in ${d.shrinkRuns} replays` : '';
  const steps = `${d.trace.length} step${d.trace.length === 1 ? '' : 's'}`;
  const lines = [
    `explore found ${what} (${howFound}; ${steps}, ${d.preemptions} preemption${d.preemptions === 1 ? '' : 's'}${fairText(d.fairSwitches ?? 0)}${shrunk}).`,
    '',
    formatTraceTable(d.trace, d.taskNames, {
      maxRows: MAX_ROWS,
      focus: d.task === undefined ? d.blocked : [d.task, ...d.blocked],
      // Virtual timers fire in a lane after the tasks (see `time`).
      lanes: d.trace.some((step) => step.task >= d.taskNames.length) ? ['timers'] : [],
    }),
    '',
  ];
  if (reproducibleOf(d) === false && d.recorded !== undefined && d.outcome !== undefined) {
    lines.push(
      `This replay did not end as the token's schedule did: the token recorded that ` +
        `${describeOutcome(d.recorded, d.taskNames)}; in this run, ` +
        `${describeOutcome(d.outcome, d.taskNames)}. Something outside the scheduler's control ` +
        `(I/O or database timing, real timers) decided part of the order, so the token does ` +
        `not reproduce its schedule exactly; a step blocked in one run and not in the other is ` +
        `the usual sign. Raise stepTimeout if the blocked steps only waited for slow I/O.`,
      '',
    );
  }
  const unconfirmed = confirmationText(d);
  if (unconfirmed !== undefined) lines.push(unconfirmed, '');
  if (d.cause !== undefined) lines.push(`cause: ${causeText(d.cause)}`, '');
  if (d.blockedSettled) {
    lines.push(
      `Every blocked task finished without error once released, so they may only have been ` +
        `slow: each step gets stepTimeout (${d.stepTimeout} ms) and a deadlock is declared after ` +
        `${DEADLOCK_STEPS} times that. If the tasks wait for slow I/O, raise stepTimeout.`,
      '',
    );
  }
  if (d.teardownError !== undefined) {
    lines.push(`teardown failed too: ${causeText(d.teardownError)}`, '');
  }
  if (d.abandoned.length > 0 && d.abandonedAtOnce === true) {
    lines.push(
      `${list(d.abandoned)} had not settled and nothing in the process could wake ` +
        `${d.abandoned.length === 1 ? 'it' : 'them'} (no I/O, timer or other source of events ` +
        `was pending), so ${d.abandoned.length === 1 ? 'it was' : 'they were'} abandoned at once.`,
      '',
    );
  } else if (d.abandoned.length > 0) {
    lines.push(
      `${list(d.abandoned)} had not settled ${d.settleTimeout} ms after the failure and ` +
        `${d.abandoned.length === 1 ? 'was' : 'were'} abandoned (raise settleTimeout if they hold ` +
        'real resources).',
      '',
    );
  }
  lines.push(
    `replay: explore({ ...spec, replay: '${d.replay}' }) or INTERLEAVE_REPLAY=${d.replay}`,
  );
  return lines.join('\n');
}

function reproducibleOf(d: RaceDetails): boolean | undefined {
  const confirmation = d.confirmation;
  if (!d.replayed && confirmation !== undefined) {
    if (!confirmation.checked) return undefined;
    return (
      d.outcome !== undefined &&
      confirmation.outcome !== undefined &&
      sameOutcome(d.outcome, confirmation.outcome)
    );
  }
  if (!d.replayed || d.recorded === undefined || d.outcome === undefined) return undefined;
  return sameOutcome(d.recorded, d.outcome);
}

/** When the confirming replay did not end as the reported schedule did: what, and why. */
function confirmationText(d: RaceDetails): string | undefined {
  const c = d.confirmation;
  if (d.replayed || c?.checked !== true || reproducibleOf(d) !== false) return undefined;
  const replayed =
    c.outcome === undefined
      ? `could not follow the token (${causeText(c.diverged)})`
      : `ended otherwise: ${describeOutcome(c.outcome, d.taskNames)}`;
  const first = d.outcome === undefined ? '' : ` (${describeOutcome(d.outcome, d.taskNames)})`;
  const outside =
    c.outsidePoints > 0
      ? ` ${c.outsidePoints} scheduling point${c.outsidePoints === 1 ? ' was' : 's were'} reached ` +
        'outside every task in that replay and passed through uncontrolled (code that a server, ' +
        'a queue or a timer made before the tasks ran for them).'
      : '';
  return (
    `The token may not reproduce this schedule: replayed once before this report, it ` +
    `${replayed}, where the schedule reported here failed${first}. Something explore did not ` +
    `control decided part of the order: steps that waited on I/O or a database (a step ` +
    `blocked in one run and not in the other is the usual sign), real timers, or points ` +
    `outside the tasks.${outside} Replay it a few times; if it keeps changing, raise stepTimeout ` +
    `or put the uncontrolled work under a scheduling point.`
  );
}

/** Longer traces show the rows that matter near the failure (all of it is in `.trace`). */
const MAX_ROWS = 60;

/** ", 1 fairness switch" (a switch after 64 steps in a row of one task), or nothing. */
function fairText(switches: number): string {
  return switches === 0 ? '' : `, ${switches} fairness switch${switches === 1 ? '' : 'es'}`;
}

/** Who spun in a livelock's last steps, e.g. "; in its last 256 steps, task 0 (left) ran 128 at `retry`". */
function spunText(d: RaceDetails): string {
  const spun = d.spun ?? [];
  if (spun.length === 0) return '';
  const window = spun.reduce((sum, entry) => sum + entry.steps, 0);
  const who = spun
    .slice(0, 4)
    .map((s) => `task ${s.task}${named(d.taskNames[s.task])} ran ${s.steps} at \`${s.label}\``);
  const more = spun.length > 4 ? ` and ${spun.length - 4} more` : '';
  return `; in its last ${window} steps, ${who.join(', ')}${more}`;
}

function list(tasks: readonly number[]): string {
  return tasks.length === 1 ? `task ${tasks[0]}` : `tasks ${tasks.join(', ')}`;
}

function named(name: string | undefined): string {
  return name ? ` (${name})` : '';
}
