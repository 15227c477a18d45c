/**
 * What a barrier says when it cannot open, written once for both barriers: the async one of
 * `runInParallel` (`async-barrier.ts`) and the shared-memory one of `runInWorkers`
 * (`workers/shared-barrier.ts`). Each describes what happened as data (a
 * {@link BarrierBreak}: the worker side reads it from shared memory) and builds its
 * `BarrierError` here, so the two give the same text for the same situation.
 */
import {
  type BarrierError,
  barrierError,
  type BarrierErrorCode,
  type BarrierScene,
} from './barrier-error.ts';
import { formatLabel } from './task-status.ts';

/** Why barrier `barrier` (1-based) broke, with what its message names. */
export type BarrierBreak =
  | {
      /** Task `task` returned while `waiting` tasks waited at the barrier. */
      readonly kind: 'finished';
      readonly barrier: number;
      readonly task: number;
      readonly waiting: number;
    }
  | {
      /** Task `task` threw while `waiting` tasks waited; `error` is its one-line summary. */
      readonly kind: 'failed';
      readonly barrier: number;
      readonly task: number;
      readonly waiting: number;
      readonly error: string;
    }
  | {
      /** Task `task` arrived after task `gone` had finished or failed short of the barrier. */
      readonly kind: 'arrived-late';
      readonly barrier: number;
      readonly task: number;
      readonly gone: number;
      readonly how: 'finished' | 'failed';
    }
  | {
      /** `arrived` of `count` tasks had arrived `timeout` ms after the first arrival. */
      readonly kind: 'timeout';
      readonly barrier: number;
      readonly timeout: number;
      readonly arrived: number;
      readonly count: number;
    }
  | {
      /** Task `task` arrived with `label` while the `waiting` tasks waited with another. */
      readonly kind: 'mismatch';
      readonly barrier: number;
      readonly task: number;
      readonly label: string | undefined;
      readonly waiting: readonly number[];
      readonly waitingLabel: string | undefined;
    };

/** The error a waiter of a barrier that broke gets. */
export function brokenError(why: BarrierBreak, scene: BarrierScene, cause?: unknown): BarrierError {
  return barrierError(codeOf(why), capitalize(headline(why)), scene, cause);
}

/** The error of a task that reaches a barrier after the barriers of its run broke. */
export function lateArrivalError(
  task: number,
  why: BarrierBreak,
  scene: BarrierScene,
  cause?: unknown,
): BarrierError {
  return barrierError(
    codeOf(why),
    `Task ${task} reached barrier ${scene.barrier}, but the barriers of this run are broken: ${headline(why)}`,
    scene,
    cause,
  );
}

/** The error of a task that awaits again before its previous await resolved. */
export function awaitedTwiceError(task: number, scene: BarrierScene): BarrierError {
  return barrierError(
    'ERR_BARRIER_MISMATCH',
    `Task ${task} called runner.await() again while its previous call still waited at barrier ${scene.barrier}. Await each runner.await() before calling it again.`,
    scene,
  );
}

/** The error of a task that awaits once its run is over (it kept its runner). */
export function afterRunError(task: number, scene: BarrierScene): BarrierError {
  return barrierError(
    'ERR_BARRIER_BROKEN',
    `Task ${task} called runner.await() after its run was over; a runner is only valid while its runInParallel() call runs.`,
    scene,
  );
}

function codeOf(why: BarrierBreak): BarrierErrorCode {
  switch (why.kind) {
    case 'timeout':
      return 'ERR_BARRIER_TIMEOUT';
    case 'mismatch':
      return 'ERR_BARRIER_MISMATCH';
    default:
      return 'ERR_BARRIER_BROKEN';
  }
}

/** What happened, as a clause: `barrier 1 timed out after …`. */
function headline(why: BarrierBreak): string {
  const { barrier } = why;
  switch (why.kind) {
    case 'finished':
      return `barrier ${barrier} can never open: task ${why.task} finished while ${plural(why.waiting, 'task')} waited at it.`;
    case 'failed':
      return `barrier ${barrier} can never open: task ${why.task} failed (${why.error}) while ${plural(why.waiting, 'task')} waited at it.`;
    case 'arrived-late':
      return `barrier ${barrier} can never open: task ${why.task} arrived after task ${why.gone} had ${why.how}.`;
    case 'timeout':
      return `barrier ${barrier} timed out after ${why.timeout} ms with ${why.arrived} of ${why.count} tasks arrived.`;
    case 'mismatch':
      return `barrier ${barrier} got different labels: task ${why.task} arrived with ${formatLabel(why.label)} while ${tasks(why.waiting)} waited with ${formatLabel(why.waitingLabel)}, so the tasks are out of step.`;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `task 0` or `tasks 0, 2`. */
function tasks(indexes: readonly number[]): string {
  return `${indexes.length === 1 ? 'task' : 'tasks'} ${indexes.join(', ')}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
