import { promiseResolve, promiseThen } from '../internal/intrinsics.ts';
import { isThenable } from '../internal/thenable.ts';
import { asyncAfterOnSync, type Outcome } from './async-on-sync.ts';
import { NOT_FIRED, type SiteHook } from './call-site.ts';
import { bounded } from './timeout.ts';
import type { CallInfo } from './types.ts';

/**
 * The `after` hooks of a hooked call (see `invoke.ts`): around a synchronous original, where
 * none may wait, and around a promise, where each is awaited in turn.
 */

/** One hook taking part in one call, with the call's index as that hook counted it. */
export interface Participant {
  readonly hook: SiteHook;
  readonly index: number;
}

function afterCall(index: number, thisArg: unknown, args: unknown[], outcome: Outcome): CallInfo {
  return outcome.ok
    ? { args, thisArg, index, result: outcome.value }
    : { args, thisArg, index, error: outcome.error };
}

/** After hooks around a synchronous original: none of them may return a promise. */
export function runAftersSync(
  participants: Participant[],
  thisArg: unknown,
  args: unknown[],
  outcome: Outcome,
  fn: Function,
): Outcome {
  for (let i = 0; i < participants.length; i++) {
    const { hook, index } = participants[i] as Participant;
    if (hook.kind !== 'after') continue;
    let returned: unknown;
    try {
      returned = hook.consider(afterCall(index, thisArg, args, outcome));
    } catch (error) {
      return { ok: false, error };
    }
    if (returned !== NOT_FIRED && isThenable(returned)) {
      // The call cannot wait; keep the abandoned hook's failure from being unhandled.
      void promiseThen(promiseResolve(returned), undefined, () => undefined);
      return { ok: false, error: asyncAfterOnSync(hook, fn, outcome) };
    }
  }
  return outcome;
}

/** Waits for the original's promise, then runs the after hooks one by one, awaiting each. */
export async function settleAsync(
  participants: Participant[],
  thisArg: unknown,
  args: unknown[],
  result: PromiseLike<unknown>,
): Promise<unknown> {
  let outcome: Outcome;
  try {
    outcome = { ok: true, value: await result };
  } catch (error) {
    outcome = { ok: false, error };
  }
  for (let i = 0; i < participants.length; i++) {
    const { hook, index } = participants[i] as Participant;
    if (hook.kind !== 'after') continue;
    const returned = hook.consider(afterCall(index, thisArg, args, outcome));
    if (returned !== NOT_FIRED && isThenable(returned)) {
      await bounded(hook, index, returned);
    }
  }
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}

export function finish(outcome: Outcome): unknown {
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}
