import type { AsyncLocalStorage } from 'node:async_hooks';
import { types } from 'node:util';
import { InterleaveError } from '../errors.ts';
import { DEADLOCK_STEPS, SHRINK_BUDGET } from '../internal/defaults.ts';
import { isThenable } from '../internal/thenable.ts';
import { HookScope } from '../hooks/scope.ts';
import { Progress } from './report/progress.ts';
import { RaceError } from './report/race-error.ts';
import type { Chooser, RunResult } from './engine/run-types.ts';
import { type ScheduleLimits, ScheduleRun } from './engine/schedule-run.ts';
import { preemptionsOf, segmentsOf, shrinkSchedule } from './replay/shrink.ts';
import { ExhaustiveStrategy } from './strategies/exhaustive.ts';
import { replaySegments } from './replay/follow.ts';
import { PctStrategy } from './strategies/pct.ts';
import { PortfolioStrategy } from './strategies/portfolio.ts';
import { RandomStrategy } from './strategies/random.ts';
import type { Strategy } from './strategies/strategy.ts';
import { enterExplore, leaveExplore, type TaskContext } from './engine/task-context.ts';
import { decodeToken, encodeToken, fingerprint, type ReplayToken } from './replay/token.ts';
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
  const names = valid.tasks.map((task) => task.name);
  const tasksFingerprint = fingerprint(valid.tasks);
  const token = replayTokenFor(valid, tasksFingerprint, names);
  const started = performance.now();
  const storage = enterExplore();
  const progress = new Progress(process.stderr);
  // The hooks `points` makes: their wrappers stay installed (passing calls through) between
  // schedules, so that re-hooking them per schedule is cheap; the originals return at the end.
  const hooks = new HookScope();
  const run = (chooser: Chooser) => runSchedule(valid, storage, chooser, hooks);
  const raceErrorFor = (result: RunResult, howFound: HowFound) =>
    raceError(valid, names, tasksFingerprint, result, howFound);
  const report = (schedules: number, exhausted: boolean): ExploreReport => ({
    schedules,
    exhausted,
    strategy: valid.strategy,
    seed: valid.seed,
    elapsedMs: performance.now() - started,
  });
  try {
    if (token !== undefined) {
      const result = await run(replaySegments(token.segments));
      if (result.failure !== undefined) {
        throw raceErrorFor(result, { schedule: 1, shrinkRuns: 0, replayed: true });
      }
      return { ...report(1, false), replayed: encodeToken(token) };
    }
    const strategy = createStrategy(valid);
    let schedules = 0;
    while (valid.runs === undefined || schedules < valid.runs) {
      const chooser = strategy.next();
      if (chooser === undefined) break;
      const scheduleStarted = performance.now();
      const result = await run(chooser);
      schedules++;
      strategy.done(result);
      progress.update({ schedules, failures: 0, phase: 'exploring' });
      if (result.failure === undefined) continue;
      if (!isRace(result)) throw raceErrorFor(result, foundBySearch(schedules, 0));
      let failures = 1;
      const shrunk = valid.shrink
        ? await shrinkSchedule(
            result,
            async (next) => {
              const replayed = await run(next);
              if (replayed.failure !== undefined) failures++;
              progress.update({ schedules, failures, phase: 'shrinking' });
              return replayed;
            },
            { ...SHRINK_BUDGET, firstRunMs: performance.now() - scheduleStarted },
          )
        : { result, runs: 0 };
      throw raceErrorFor(shrunk.result, foundBySearch(schedules, shrunk.runs));
    }
    return report(schedules, strategy.exhausted);
  } finally {
    progress.done();
    leaveExplore();
    hooks.close();
  }
}

/** The token to replay: `spec.replay`, or INTERLEAVE_REPLAY when it was made for this call. */
function replayTokenFor(
  valid: ValidSpec,
  tasksFingerprint: string,
  names: readonly string[],
): ReplayToken | undefined {
  if (valid.replay !== undefined) {
    const token = decodeToken(valid.replay, '`replay`');
    if (token.fingerprint !== tasksFingerprint || token.taskCount !== valid.tasks.length) {
      throw new InterleaveError(
        'ERR_REPLAY_INVALID',
        `\`replay\` was made for another explore() call: the token is for ${token.taskCount} ` +
          `task(s) with fingerprint ${token.fingerprint}, this call has ${valid.tasks.length} ` +
          `task(s) (${describeNames(names)}) with fingerprint ${tasksFingerprint}. A token ` +
          `replays only the call it came from (same number of tasks, same task names, and for ` +
          `unnamed tasks the same code); if the tasks changed, explore again for a new token.`,
      );
    }
    return token;
  }
  const fromEnv = process.env.INTERLEAVE_REPLAY;
  if (fromEnv === undefined || fromEnv === '') return undefined;
  const token = decodeToken(fromEnv, 'INTERLEAVE_REPLAY');
  // Another explore() in the same process: the token is not for it, so it explores as usual.
  return token.fingerprint === tasksFingerprint && token.taskCount === valid.tasks.length
    ? token
    : undefined;
}

function describeNames(names: readonly string[]): string {
  return names.map((name) => name || '(anonymous)').join(', ');
}

function createStrategy(valid: ValidSpec): Strategy {
  const tasks = valid.tasks.length;
  switch (valid.strategy) {
    case 'exhaustive':
      return new ExhaustiveStrategy(valid.maxPreemptions);
    case 'pct':
      return new PctStrategy(valid.seed, tasks, valid.depth);
    case 'random':
      return new RandomStrategy(valid.seed);
    case 'portfolio':
      return new PortfolioStrategy(
        new ExhaustiveStrategy(valid.maxPreemptions),
        new PctStrategy(valid.seed, tasks, valid.depth),
        Math.ceil((valid.runs ?? 1000) / 2),
      );
  }
}

/**
 * One schedule: setup, points, the tasks under the scheduler, check, teardown. The hooks
 * `points` made are removed after the tasks; their pass-through wrappers stay on the methods
 * that the next schedule hooks again, and the others are put back after its `points`.
 */
async function runSchedule(
  valid: ValidSpec,
  storage: AsyncLocalStorage<TaskContext>,
  chooser: Chooser,
  hooks: HookScope,
): Promise<RunResult> {
  // User callbacks are awaited only when they return a promise: each needless await is a
  // microtask hop, and schedules are many.
  const setUp = valid.setup?.();
  const ctx = isThenable(setUp) ? await setUp : setUp;
  let result: RunResult | undefined;
  let failed: { error: unknown } | undefined;
  try {
    // Methods hooked by the previous schedule but not by this one (e.g. on a fresh `ctx`
    // object per schedule) get their originals back once `points` is done.
    const collecting = hooks.collect(valid.points, ctx);
    if (collecting !== undefined) await collecting;
    const schedule = new ScheduleRun(storage, chooser, limitsOf(valid));
    result = await schedule.execute(valid.tasks, ctx);
  } catch (error) {
    failed = { error };
  }
  hooks.detach();
  if (result !== undefined && result.failure === undefined && valid.check !== undefined) {
    try {
      const checking = valid.check(ctx, result.results);
      if (isThenable(checking)) await checking;
    } catch (error) {
      result.failure = { kind: 'check', error };
    }
  }
  try {
    const tearingDown = valid.teardown?.(ctx);
    if (isThenable(tearingDown)) await tearingDown;
  } catch (error) {
    // A failed schedule is what the user needs to see; its teardown's error goes with it.
    if (failed === undefined && result?.failure === undefined) throw error;
    if (result !== undefined) result.teardownError = error;
  }
  if (failed !== undefined || result === undefined) throw failed?.error;
  return result;
}

function limitsOf(valid: ValidSpec): ScheduleLimits {
  return {
    stepTimeout: valid.stepTimeout,
    settleTimeout: valid.settleTimeout,
    deadlockTimeout: valid.stepTimeout * DEADLOCK_STEPS,
    maxSteps: valid.maxSteps,
  };
}

function raceError(
  valid: ValidSpec,
  names: readonly string[],
  tasksFingerprint: string,
  result: RunResult,
  howFound: HowFound,
): Error {
  const failure = result.failure;
  if (failure?.kind === 'abort') return failure.error as Error;
  if (failure?.kind === 'task' && isUsageError(failure.error)) return failure.error;
  const segments = segmentsOf(result);
  return new RaceError({
    code:
      failure?.kind === 'deadlock'
        ? 'ERR_DEADLOCK'
        : failure?.kind === 'livelock'
          ? 'ERR_LIVELOCK'
          : 'ERR_RACE_FOUND',
    task: failure?.kind === 'task' ? failure.task : undefined,
    // A deadlock has no error of its own; a database that broke it names its victim.
    cause:
      failure?.kind === 'task' || failure?.kind === 'check'
        ? failure.error
        : result.lateErrors[0]?.error,
    trace: result.trace,
    taskNames: names,
    replay: encodeToken({ fingerprint: tasksFingerprint, taskCount: valid.tasks.length, segments }),
    strategy: valid.strategy,
    seed: valid.seed,
    schedule: howFound.schedule,
    preemptions: preemptionsOf(result),
    blocked: failure?.kind === 'deadlock' ? failure.blocked : [],
    blockedSettled: result.blockedSettled,
    maxSteps: valid.maxSteps,
    stepTimeout: valid.stepTimeout,
    settleTimeout: valid.settleTimeout,
    teardownError: result.teardownError,
    abandoned: result.abandoned,
    shrinkRuns: howFound.shrinkRuns,
    replayed: howFound.replayed,
  });
}

/** How the failing schedule was come upon, for the RaceError. */
interface HowFound {
  readonly schedule: number;
  readonly shrinkRuns: number;
  readonly replayed: boolean;
}

function foundBySearch(schedule: number, shrinkRuns: number): HowFound {
  return { schedule, shrinkRuns, replayed: false };
}

/** False for failures that are mistakes in the test (rethrown as they are, never shrunk). */
function isRace(result: RunResult): boolean {
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
