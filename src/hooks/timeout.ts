import { InterleaveError } from '../errors.ts';
import { settleWithin } from '../internal/settle-within.ts';
import type { DescribedHook } from './unfired.ts';

/** What a bounded wait needs to know of a hook (a `HookHandle`). */
export interface TimedHook extends DescribedHook {
  readonly kind: 'before' | 'after';
  /** Its `timeout` option; Infinity for no bound. */
  readonly timeout: number;
}

/**
 * Waits for the promise that `hook` returned on its call number `index`, for at most the
 * hook's `timeout`: past it, the returned promise rejects with `ERR_HOOK_TIMEOUT` (the hook
 * itself goes on; what it later throws is ignored). Hooks with no bound (`timeout` Infinity:
 * `yieldAt`, whose calls wait for explore's scheduler) get their promise as is. Only async
 * hooks come here: a synchronous hook never creates a timer.
 */
export function bounded(
  hook: TimedHook,
  index: number,
  returned: PromiseLike<unknown>,
): Promise<unknown> {
  const ms = hook.timeout;
  return settleWithin(returned, ms, () => hookTimeoutError(hook, index, ms));
}

function hookTimeoutError(hook: TimedHook, index: number, ms: number): InterleaveError {
  const name = hook.methodName;
  const nth = `call ${index}${hook.createdAt === undefined ? '' : `, hook created at ${hook.createdAt}`}`;
  const interrupted =
    hook.kind === 'after'
      ? `\`${name}\` has returned, but its caller`
      : `\`${name}\` has not been called yet, and its caller`;
  return new InterleaveError(
    'ERR_HOOK_TIMEOUT',
    `The ${hook.api}() hook on \`${name}\` (${nth}) returned a promise that did not settle ` +
      `within ${ms} ms, so the call it interrupted fails with this error instead of waiting ` +
      `forever. The hook may be waiting for the call it interrupted: ${interrupted} cannot go ` +
      `on (commit, roll back, release a lock) until the hook is done, so if the hook's work ` +
      `needs something that call holds (a row lock, a transaction, a pooled connection, a ` +
      `mutex), neither can finish. To fix it: make the hook's work not need what the first ` +
      `call holds (another row, no overlapping transaction); or run both requests side by ` +
      `side with runInParallel() and a barrier; or, if the hook is only slow, raise ` +
      `\`options.timeout\` (now ${ms} ms).`,
  );
}
