import { InterleaveError } from '../errors.ts';
import { describeValue } from '../internal/describe.ts';
import type { SiteHook } from './call-site.ts';

/** The outcome of the original (or of a hook that threw in its place). */
export type Outcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

// The `ERR_ASYNC_HOOK_ON_SYNC_FUNCTION` messages of the wrapper (`invoke.ts`).

/** An `after` hook returned a promise, but the original finished synchronously. */
export function asyncAfterOnSync(hook: SiteHook, fn: Function, outcome: Outcome): InterleaveError {
  const name = hook.methodName;
  const got = outcome.ok
    ? `returned ${describeValue(outcome.value)}`
    : `threw ${describeValue(outcome.error)}, which is the cause of this error`;
  return new InterleaveError(
    'ERR_ASYNC_HOOK_ON_SYNC_FUNCTION',
    `The after() hook on \`${name}\` returned a promise, but \`${name}\`${fnLabel(fn, name)} ` +
      `finished synchronously (it ${got}), so its caller cannot wait for the hook without the ` +
      `outcome changing. Make the hook synchronous: do the work inline, or start async work ` +
      `without returning it (\`() => { pending = work(); }\`) and await \`pending\` in the test.`,
    outcome.ok ? undefined : { cause: outcome.error },
  );
}

/** A `before` hook made the call wait, but the original turned out to be synchronous. */
export function asyncBeforeOnSync(hook: SiteHook, fn: Function, value: unknown): InterleaveError {
  const name = hook.methodName;
  return new InterleaveError(
    'ERR_ASYNC_HOOK_ON_SYNC_FUNCTION',
    `The ${hook.api}() hook on \`${name}\` returned a promise, so \`${name}\` was called once it settled; ` +
      `but \`${name}\`${fnLabel(fn, name)} is synchronous (it returned ${describeValue(value)}), ` +
      `and its caller has already received a promise instead. ` +
      (hook.syncAdvice ?? `Make the hook synchronous, or hook a function that returns a promise.`),
  );
}

function fnLabel(fn: Function, name: string): string {
  return fn.name && fn.name !== name ? ` (function ${fn.name})` : '';
}
