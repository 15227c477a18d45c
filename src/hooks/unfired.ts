import { InterleaveError } from '../errors.ts';
import type { HookOptions } from './types.ts';

/** What to do with a hook restored before it ever fired (`HookOptions.unfired`). */
export type Unfired = NonNullable<HookOptions['unfired']>;

/** What the messages need to know of a hook (a `HookHandle`). */
export interface DescribedHook {
  /** The API that made it: `before`, `after`, `yieldAt`. */
  readonly api: string;
  readonly methodName: string;
  /** Where it was created (`file:line:column`), if known. */
  readonly createdAt: string | undefined;
  /** Its `skip` option. */
  readonly skip: number;
  readonly unfired: Unfired;
}

/** What a hook that never fired saw: the part of its counters that explains why. */
export interface UnfiredCounts {
  readonly calls: number;
  /** Calls that had not reached the hook's decision (an `after` waits for the call to settle). */
  readonly running: number;
  /** Calls let through by `skip`. */
  readonly skipped: number;
  /** Calls `when` did not accept. */
  readonly rejected: number;
}

/**
 * Why a hook that is being restored never fired, and what to do: the shared middle of
 * `ERR_HOOK_RESTORED` (its `triggered`) and of the unfired warning or `ERR_HOOK_NEVER_FIRED`.
 */
export function whyUnfired(hook: DescribedHook, counts: UnfiredCounts): string {
  const name = hook.methodName;
  const { calls, running, skipped, rejected } = counts;
  if (calls === 0) {
    return (
      `It saw no call of \`${name}\`: either it was restored before the call was made ` +
      `(${restoredEarly(hook, 'made')}), or the code under test does not call \`${name}\` ` +
      `through the hooked object (hook the object it calls through, e.g. \`Class.prototype\` ` +
      `for every instance).`
    );
  }
  const seen: string[] = [];
  if (running > 0) seen.push(`${running} still running when the hook was restored`);
  if (skipped > 0) seen.push(`${skipped} let through by \`skip: ${hook.skip}\``);
  if (rejected > 0) seen.push(`${rejected} not accepted by \`when\``);
  const fixes: string[] = [];
  if (running > 0) {
    fixes.push(`It was restored before the call finished (${restoredEarly(hook, 'finished')}).`);
  }
  if (rejected > 0) fixes.push(`Check the condition in \`when\`.`);
  if (skipped > 0 && running === 0 && rejected === 0) {
    fixes.push(`\`skip\` is larger than the number of calls: lower it, or make more calls.`);
  }
  const saw = `It saw ${calls} call${calls === 1 ? '' : 's'}`;
  return seen.length === 0 ? `${saw}.` : `${saw}: ${seen.join(', ')}. ${fixes.join(' ')}`;
}

/**
 * How a hook of this API comes to be restored before a call reaches it (`done`: before the
 * call was made, or finished). A `yieldAt()` point is restored by explore, not by a `using`
 * block of the user's.
 */
function restoredEarly(hook: DescribedHook, done: 'made' | 'finished'): string {
  if (hook.api === 'yieldAt') {
    return (
      `explore restores the yieldAt() points made in \`points\` at the end of every schedule, and ` +
      `a schedule may end, finished or failed, before a task has ${done} the call`
    );
  }
  return (
    `\`return service.run()\` inside a \`using\` block restores the hook as the function ` +
    `returns, before the returned promise has ${done} the call: write ` +
    `\`return await service.run()\``
  );
}

/** `after() hook on \`getCount\``, and with `site`: ` (created at test/x.test.ts:3:5)`. */
export function hookLabel(hook: DescribedHook, site: boolean): string {
  const at = site ? hook.createdAt : undefined;
  return `${hook.api}() hook on \`${hook.methodName}\`${at === undefined ? '' : ` (created at ${at})`}`;
}

/**
 * Reports a hook restored without ever firing, as its `unfired` option says: a process
 * warning (`INTERLEAVE_HOOK_NEVER_FIRED`), or `ERR_HOOK_NEVER_FIRED` thrown.
 */
export function reportUnfired(hook: DescribedHook, counts: UnfiredCounts): void {
  if (hook.unfired === 'ignore') return;
  const message =
    `The ${hookLabel(hook, true)} was restored without ever firing, so what it was meant to do ` +
    `never happened: a race test that relies on it passes without testing the race. ` +
    `${whyUnfired(hook, counts)} Set \`unfired: 'ignore'\` on a hook that may rightly not ` +
    `fire` +
    (hook.unfired === 'warn' ? `, or \`unfired: 'throw'\` to fail instead of warning.` : '.');
  if (hook.unfired === 'throw') throw new InterleaveError('ERR_HOOK_NEVER_FIRED', message);
  process.emitWarning(message, { type: 'InterleaveWarning', code: 'INTERLEAVE_HOOK_NEVER_FIRED' });
}
