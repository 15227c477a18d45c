import { CONFIRM_BUDGET_MS, SHRINK_BUDGET } from '../internal/defaults.ts';
import type { Chooser, RunResult } from './engine/run-types.ts';
import { outcomeOf } from './replay/outcome.ts';
import { identify, tokenToReplay } from './replay/replay-token.ts';
import { segmentsOf, shrinkSchedule } from './replay/shrink.ts';
import { encodeToken } from './replay/token.ts';
import { nothingToExplore } from './report/nothing-to-explore.ts';
import { PointTally } from './report/point-tally.ts';
import { Progress } from './report/progress.ts';
import { failureError, type HowFound, isRace } from './report/race-error-for.ts';
import type { Confirmation } from './report/race-error.ts';
import { warnReplayPassed } from './report/replay-passed.ts';
import { ExploreSession } from './session.ts';
import { createStrategy } from './strategies/registry.ts';
import { ReplayStrategy } from './strategies/replay.ts';
import type { Strategy } from './strategies/strategy.ts';
import type { ExploreReport, ExploreSpec } from './types.ts';
import { validateSpec } from './validate.ts';

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
  const tally = new PointTally(identity.count);
  try {
    let schedules = 0;
    for (let chooser = strategy.next(); chooser !== undefined; chooser = strategy.next()) {
      const scheduleStarted = performance.now();
      const result = await session.schedule(chooser);
      schedules++;
      tally.add(result.trace);
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
      if (!isRace(result) || found.replayed) throw failureError(valid, identity, result, found);
      const firstRunMs = performance.now() - scheduleStarted;
      const via = { session, progress, firstRunMs, tally };
      const reported = valid.shrink ? await shrunk(result, found, via) : { result, found };
      const confirmation = await confirm(reported.result, via);
      throw failureError(valid, identity, reported.result, { ...reported.found, confirmation });
    }
    if (token === undefined && !tally.sawChoices) {
      throw nothingToExplore({
        schedules,
        taskCount: identity.count,
        strategy: valid.strategy,
        points: tally.counts(),
      });
    }
    return {
      schedules,
      exhausted: strategy.exhausted,
      strategy: valid.strategy,
      seed: valid.seed,
      elapsedMs: performance.now() - started,
      points: tally.counts(),
      lanes: identity.count + (tally.timersFired ? 1 : 0),
      ...(token !== undefined && { replayed: encodeToken(token) }),
    };
  } finally {
    progress.done();
    session.close();
  }
}

/** What shrinking and confirming need of the running exploration. */
interface Via {
  readonly session: ExploreSession;
  readonly progress: Progress;
  /** How long the failing schedule took, first time round. */
  readonly firstRunMs: number;
  readonly tally: PointTally;
}

/** Shrinks a failing schedule (within `SHRINK_BUDGET`) to the smallest that still fails. */
async function shrunk(
  failing: RunResult,
  found: HowFound,
  via: Via,
): Promise<{ result: RunResult; found: HowFound }> {
  let failures = 1;
  const rerun = async (chooser: Chooser) => {
    const replayed = await via.session.schedule(chooser);
    if (replayed.failure !== undefined) failures++;
    via.progress.update({ schedules: found.schedule, failures, phase: 'shrinking' });
    return replayed;
  };
  const smallest = await shrinkSchedule(failing, rerun, {
    ...SHRINK_BUDGET,
    firstRunMs: via.firstRunMs,
  });
  return { result: smallest.result, found: { ...found, shrinkRuns: smallest.runs } };
}

/**
 * Replays the schedule about to be reported once, exactly as its token will, and says whether
 * it ended the same way: a token that does not reproduce must not be handed out as if it did.
 * Skipped for a schedule slower than `CONFIRM_BUDGET_MS` (a deadlock on a real database), so
 * the report still comes within the test runners' timeouts.
 */
async function confirm(result: RunResult, via: Via): Promise<Confirmation> {
  const outsideBefore = via.tally.outsideTasks;
  if (via.firstRunMs > CONFIRM_BUDGET_MS) return { checked: false, tookMs: via.firstRunMs };
  const replay = new ReplayStrategy(segmentsOf(result)).next();
  if (replay === undefined) return { checked: false, tookMs: via.firstRunMs };
  const replayed = await via.session.schedule(replay);
  return {
    checked: true,
    outcome: outcomeOf(replayed),
    diverged: replayed.failure?.kind === 'abort' ? replayed.failure.error : undefined,
    outsidePoints: via.tally.outsideTasks - outsideBefore,
  };
}
