/**
 * interleave: make race conditions reproducible in ordinary tests.
 *
 * @packageDocumentation
 * @module interleave
 */
export {
  ArgumentError,
  type ArgumentErrorCode,
  type ArgumentErrorDetails,
} from './argument-error.ts';
export { InterleaveError, type InterleaveErrorCode } from './errors.ts';
export { after, before, restoreAll } from './hooks/before-after.ts';
export type {
  ArgsOf,
  CallInfo,
  Hook,
  HookFn,
  HookOptions,
  MethodKey,
  ResultOf,
} from './hooks/types.ts';
export { runInParallel } from './parallel/run-in-parallel.ts';
export { ParallelError, type TaskFailure } from './parallel/parallel-error.ts';
export { BarrierError, type BarrierErrorCode } from './parallel/barrier-error.ts';
export { type TaskStatus } from './parallel/task-status.ts';
export type {
  ParallelOptions,
  Runner,
  SettledTaskResults,
  Task,
  TaskResults,
} from './parallel/types.ts';
export { runInWorkers } from './parallel/workers/run-in-workers.ts';
export type { WorkerOptions, WorkerRunner } from './parallel/workers/types.ts';
export { explore } from './explore/explore.ts';
export { checkpoint } from './explore/checkpoint.ts';
export { yieldAt } from './explore/yield-at.ts';
export { RaceError, type RaceErrorCode } from './explore/report/race-error.ts';
export type { ExploreReport, ExploreSpec, StrategyName, YieldAtOptions } from './explore/types.ts';
export type { StepEnd, TraceStep } from './trace/types.ts';
