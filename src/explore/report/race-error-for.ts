import { types } from 'node:util';
import { InterleaveError } from '../../errors.ts';
import type { RunResult } from '../engine/run-types.ts';
import { outcomeOf, type ScheduleOutcome } from '../replay/outcome.ts';
import { fairSwitchesOf, preemptionsOf, segmentsOf } from '../replay/shrink.ts';
import { type TaskIdentity, tokenOf } from '../replay/replay-token.ts';
import type { ValidSpec } from '../validate.ts';
import { type Confirmation, RaceError } from './race-error.ts';

/** How the failing schedule was come upon, for the RaceError. */
export interface HowFound {
  /** 1-based number of the schedule that failed. */
  readonly schedule: number;
  /** The replays shrinking made. */
  readonly shrinkRuns: number;
  /** The schedule was a replay token's. */
  readonly replayed: boolean;
  /** A replay: how the token's schedule ended when it was made (format 2 tokens). */
  readonly recorded?: ScheduleOutcome | undefined;
  /** Not a replay: how replaying the reported schedule's token once went. */
  readonly confirmation?: Confirmation | undefined;
}

/**
 * What `explore` throws for a failed schedule: a `RaceError` drawing it, or, for a mistake in
 * the test rather than a race (a usage error, a chooser that gave up), that error as it is.
 */
export function failureError(
  spec: ValidSpec,
  identity: TaskIdentity,
  result: RunResult,
  howFound: HowFound,
): Error {
  const failure = result.failure;
  if (failure?.kind === 'abort') return failure.error as Error;
  if (failure?.kind === 'task' && isUsageError(failure.error)) return failure.error;
  const outcome = outcomeOf(result);
  return new RaceError({
    code:
      failure?.kind === 'deadlock'
        ? 'ERR_DEADLOCK'
        : failure?.kind === 'livelock'
          ? 'ERR_LIVELOCK'
          : 'ERR_RACE_FOUND',
    task: failure?.kind === 'task' ? failure.task : undefined,
    // A deadlock has no error of its own; a database that broke it names its victim. A
    // livelock's tasks were stopped by explore: what they threw then is not its cause.
    cause:
      failure?.kind === 'task' || failure?.kind === 'check'
        ? failure.error
        : failure?.kind === 'deadlock'
          ? result.lateErrors[0]?.error
          : undefined,
    trace: result.trace,
    taskNames: identity.names,
    replay: tokenOf(identity, segmentsOf(result), outcome),
    strategy: spec.strategy,
    seed: spec.seed,
    schedule: howFound.schedule,
    preemptions: preemptionsOf(result),
    fairSwitches: fairSwitchesOf(result),
    blocked: failure?.kind === 'deadlock' ? failure.blocked : [],
    blockedSettled: result.blockedSettled,
    spun: failure?.kind === 'livelock' ? failure.spun : [],
    maxSteps: spec.maxSteps,
    stepTimeout: spec.stepTimeout,
    settleTimeout: spec.settleTimeout,
    teardownError: result.teardownError,
    abandoned: result.abandoned,
    abandonedAtOnce: result.abandonedAtOnce,
    shrinkRuns: howFound.shrinkRuns,
    replayed: howFound.replayed,
    recorded: howFound.recorded,
    confirmation: howFound.confirmation,
    outcome,
  });
}

/** False for failures that are mistakes in the test (rethrown as they are, never shrunk). */
export function isRace(result: RunResult): boolean {
  const failure = result.failure;
  if (failure?.kind === 'abort') return false;
  return !(failure?.kind === 'task' && isUsageError(failure.error));
}

/** A mistake in the test rather than a race: rethrown as it is. */
function isUsageError(error: unknown): error is InterleaveError {
  // `instanceof` would run a Proxy's getPrototypeOf trap (or throw, for a revoked one).
  if (types.isProxy(error)) return false;
  return error instanceof InterleaveError && error.code === 'ERR_ASYNC_HOOK_ON_SYNC_FUNCTION';
}
