import { SHRINK_BUDGET } from '../internal/defaults.ts';
import type { Chooser, RunResult } from './engine/run-types.ts';
import { identify, type TaskIdentity, tokenToReplay } from './replay/replay-token.ts';
import { shrinkSchedule } from './replay/shrink.ts';
import { encodeToken } from './replay/token.ts';
import { Progress } from './report/progress.ts';
import { failureError, type HowFound, isRace } from './report/race-error-for.ts';
import { warnReplayPassed } from './report/replay-passed.ts';
import { ExploreSession } from './session.ts';
import { createStrategy } from './strategies/registry.ts';
import { ReplayStrategy } from './strategies/replay.ts';
import type { Strategy } from './strategies/strategy.ts';
import type { ExploreReport, ExploreSpec } from './types.ts';
import { type ValidSpec, validateSpec } from './validate.ts';

/**
 * Runs `tasks` concurrently under a controlled scheduler, schedule after schedule, until one
 * fails or the strategy is done. Scheduling points are where tasks may be interleaved: each
 * task's start, every `checkpoint()`, and every call made a point by `yieldAt` in `points`.
 * A failing schedule is shrunk to the fewest preemptions and thrown as a {@link RaceError}
 * whose message draws it task by task and gives its replay token.
 *
 * @returns a report: schedules run, whether the bounded space was exhausted, strategy, seed.
 * @throws {RaceError} `ERR_RACE_FOUND` (a task threw or `check` failed) or `ERR_DEADLOCK`.
 *
 * @example
 * ```ts
 * import { explore, yieldAt } from 'interleave';
 *
 * const account = { balance: 100, async read() { return this.balance; }, async write(n: number) { this.balance = n; } };
 * const withdraw = async (amount: number) => {
 *   const balance = await account.read();
 *   if (balance < amount) return false;
 *   await account.write(balance - amount);
 *   return true;
 * };
 * await explore({
 *   setup: () => { account.balance = 100; },
 *   points: () => { yieldAt(account, 'read'); yieldAt(account, 'write'); },
 *   tasks: [() => withdraw(80), () => withdraw(80)],
 *   check: (_ctx, paid) => { if (paid.every(Boolean)) throw new Error('both withdrawals of 80 went through'); },
 * }); // throws a RaceError: both withdrawals read 100
 * ```
 */
export async function explore<C = undefined>(spec: ExploreSpec<C>): Promise<ExploreReport> {
  const valid = validateSpec(spec);
  const identity = identify(valid.tasks);
  const token = tokenToReplay(valid.replay, identity);
  // A replay is a strategy like the others: it hands out one schedule, the token's.
  const strategy: Strategy =
    token !== undefined
      ? new ReplayStrategy(token.segments)
      : createStrategy(valid.strategy, {
          taskCount: identity.count,
          runs: valid.runs,
          seed: valid.seed,
          maxPreemptions: valid.maxPreemptions,
          maxDelays: valid.maxDelays,
          depth: valid.depth,
        });
  const started = performance.now();
  const progress = new Progress(process.stderr);
  const session = new ExploreSession(valid);
  try {
    let schedules = 0;
    for (let chooser = strategy.next(); chooser !== undefined; chooser = strategy.next()) {
      const scheduleStarted = performance.now();
      const result = await session.schedule(chooser);
      schedules++;
      strategy.done(result);
      progress.update({ schedules, failures: 0, phase: 'exploring' });
      const recorded = token?.outcome;
      if (result.failure === undefined) {
        if (token !== undefined && recorded !== undefined && recorded.kind !== 'pass') {
          warnReplayPassed(encodeToken(token), recorded, identity.names);
        }
        continue;
      }
      const replayed = strategy.replaying === true;
      const found: HowFound = { schedule: schedules, shrinkRuns: 0, replayed, recorded };
      if (!isRace(result) || found.replayed || !valid.shrink) {
        throw failureError(valid, identity, result, found);
      }
      const firstRunMs = performance.now() - scheduleStarted;
      throw await shrunkError(valid, identity, result, found, { session, progress, firstRunMs });
    }
    return {
      schedules,
      exhausted: strategy.exhausted,
      strategy: valid.strategy,
      seed: valid.seed,
      elapsedMs: performance.now() - started,
      ...(token !== undefined && { replayed: encodeToken(token) }),
    };
  } finally {
    progress.done();
    session.close();
  }
}

/** Shrinks a failing schedule (within `SHRINK_BUDGET`) and returns the error for the smallest. */
async function shrunkError(
  valid: ValidSpec,
  identity: TaskIdentity,
  failing: RunResult,
  found: HowFound,
  via: { session: ExploreSession; progress: Progress; firstRunMs: number },
): Promise<Error> {
  let failures = 1;
  const rerun = async (chooser: Chooser) => {
    const replayed = await via.session.schedule(chooser);
    if (replayed.failure !== undefined) failures++;
    via.progress.update({ schedules: found.schedule, failures, phase: 'shrinking' });
    return replayed;
  };
  const shrunk = await shrinkSchedule(failing, rerun, {
    ...SHRINK_BUDGET,
    firstRunMs: via.firstRunMs,
  });
  return failureError(valid, identity, shrunk.result, { ...found, shrinkRuns: shrunk.runs });
}
