/**
 * interleave: make race conditions reproducible in ordinary tests.
 *
 * @packageDocumentation
 */
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
