import { afterEach, describe, expect, it, vi } from 'vitest';
import { after, before, restoreAll } from 'interleave';
import { withoutLines } from './support/hooks.ts';

afterEach(() => {
  restoreAll();
  vi.useRealTimers();
});

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}

function makeDb() {
  return {
    reads: 0,
    async getCount(): Promise<number> {
      this.reads++;
      return 7;
    },
  };
}

/** Awaits `promise` and returns what it rejected with (failing if it fulfils). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('a hook that waits for the call it interrupted', () => {
  it('after(): the call rejects with ERR_HOOK_TIMEOUT instead of hanging', async () => {
    const db = makeDb();
    const callReturned = signal();
    // The deadlock's shape: the hook waits for the call, which waits for the hook.
    after(db, 'getCount', () => callReturned.promise, { timeout: 50 });

    const call = db.getCount().finally(callReturned.fire);
    const error = await rejectionOf(call);

    expect(error).toMatchObject({ name: 'InterleaveError', code: 'ERR_HOOK_TIMEOUT' });
    expect(withoutLines(error)).toMatchInlineSnapshot(
      `"The after() hook on \`getCount\` (call 1, hook created at test/hooks-timeout.test.ts:<line>:<column>) returned a promise that did not settle within 50 ms, so the call it interrupted fails with this error instead of waiting forever. The hook may be waiting for the call it interrupted: \`getCount\` has returned, but its caller cannot go on (commit, roll back, release a lock) until the hook is done, so if the hook's work needs something that call holds (a row lock, a transaction, a pooled connection, a mutex), neither can finish. To fix it: make the hook's work not need what the first call holds (another row, no overlapping transaction); or run both requests side by side with runInParallel() and a barrier; or, if the hook is only slow, raise \`options.timeout\` (now 50 ms)."`,
    );
  });

  it('before(): the call rejects with ERR_HOOK_TIMEOUT and the original is never called', async () => {
    const db = makeDb();
    const callReturned = signal();
    before(db, 'getCount', () => callReturned.promise, { timeout: 50, skip: 1 });
    await db.getCount();

    const error = await rejectionOf(db.getCount().finally(callReturned.fire));

    expect(db.reads).toBe(1);
    expect(withoutLines(error)).toMatchInlineSnapshot(
      `"The before() hook on \`getCount\` (call 2, hook created at test/hooks-timeout.test.ts:<line>:<column>) returned a promise that did not settle within 50 ms, so the call it interrupted fails with this error instead of waiting forever. The hook may be waiting for the call it interrupted: \`getCount\` has not been called yet, and its caller cannot go on (commit, roll back, release a lock) until the hook is done, so if the hook's work needs something that call holds (a row lock, a transaction, a pooled connection, a mutex), neither can finish. To fix it: make the hook's work not need what the first call holds (another row, no overlapping transaction); or run both requests side by side with runInParallel() and a barrier; or, if the hook is only slow, raise \`options.timeout\` (now 50 ms)."`,
    );
  });

  it('names where the hook was created', async () => {
    const db = makeDb();
    const line = Number(/:(\d+):\d+/.exec(new Error().stack?.split('\n')[1] ?? '')?.[1]) + 1;
    after(db, 'getCount', () => new Promise(() => undefined), { timeout: 1 });

    const error = await rejectionOf(db.getCount());

    expect((error as Error).message).toContain(
      `hook created at test/hooks-timeout.test.ts:${line}:5)`,
    );
  });

  it('ignores what the hook does once the call gave up on it (no unhandled rejection)', async () => {
    const db = makeDb();
    const callFailed = signal();
    let hookDone: Promise<void> | undefined;
    after(
      db,
      'getCount',
      () => {
        hookDone = callFailed.promise.then(() => {
          throw new Error('the hook failed after the timeout');
        });
        return hookDone;
      },
      { timeout: 1 },
    );
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);

    try {
      const error = await rejectionOf(db.getCount());
      callFailed.fire();
      await expect(hookDone).rejects.toThrow('the hook failed after the timeout');
      await new Promise((resolve) => setImmediate(resolve));

      expect(error).toMatchObject({ code: 'ERR_HOOK_TIMEOUT' });
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('the timer', () => {
  it('defaults to 1000 ms', async () => {
    vi.useFakeTimers();
    const db = makeDb();
    after(db, 'getCount', () => new Promise(() => undefined));
    let outcome = 'pending';
    const call = db.getCount().then(
      () => (outcome = 'fulfilled'),
      (error: unknown) => (outcome = (error as { code: string }).code),
    );

    await vi.advanceTimersByTimeAsync(999);
    expect(outcome).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    await call;

    expect(outcome).toBe('ERR_HOOK_TIMEOUT');
  });

  it('is cleared once the hook settles, so it keeps nothing alive', async () => {
    vi.useFakeTimers();
    const db = makeDb();
    const hookMayFinish = signal();
    after(db, 'getCount', () => hookMayFinish.promise);
    before(db, 'getCount', () => Promise.resolve());

    const call = db.getCount();
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(1); // the after hook's; the before hook's is cleared
    hookMayFinish.fire();

    await expect(call).resolves.toBe(7);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is not created for synchronous hooks', async () => {
    const db = makeDb();
    after(db, 'getCount', () => undefined, { times: Infinity });
    before(db, 'getCount', () => undefined, { times: Infinity });
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');

    await db.getCount();
    await db.getCount();

    expect(setTimeoutSpy).not.toHaveBeenCalled();
  });
});

describe('hook.triggered is bounded by the hook timeout', () => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  it('a hook never called: `await hook.triggered` rejects with ERR_HOOK_TIMEOUT naming the hook', async () => {
    const db = makeDb();
    const hook = after(db, 'getCount', () => undefined, { timeout: 30, unfired: 'ignore' });
    const error = await rejectionOf(hook.triggered);
    expect((error as { code?: string }).code).toBe('ERR_HOOK_TIMEOUT');
    expect(withoutLines(error)).toMatchInlineSnapshot(
      `"\`triggered\` of the after() hook on \`getCount\` did not resolve within 30 ms: the hook has not fired. It saw no call of \`getCount\` yet: the code under test has not made it, or does not call it through the hooked object (hook the object it calls through, e.g. \`Class.prototype\` for every instance). If the call is only slow to come, raise \`options.timeout\` (now 30 ms), or pass \`timeout: Infinity\`."`,
    );
    // The hook itself stays installed: the test decides what to do with it.
    expect(hook.active).toBe(true);
  });

  it('a hook that fires in time resolves it, and no timer is left', async () => {
    const db = makeDb();
    const before = timers();
    const hook = after(db, 'getCount', () => undefined, { timeout: 5000 });
    const triggered = hook.triggered;
    expect(timers()).toBe(before + 1);
    await db.getCount();
    await expect(triggered).resolves.toMatchObject({ args: [] });
    expect(timers()).toBe(before);
  });

  it('restoring the hook clears the timer; timeout Infinity starts none', async () => {
    const db = makeDb();
    const before = timers();
    const hook = after(db, 'getCount', () => undefined, { timeout: 5000, unfired: 'ignore' });
    const triggered = hook.triggered;
    hook.restore();
    await expect(triggered).rejects.toMatchObject({ code: 'ERR_HOOK_RESTORED' });
    expect(timers()).toBe(before);
    const unbounded = after(db, 'getCount', () => undefined, {
      timeout: Infinity,
      unfired: 'ignore',
    });
    void unbounded.triggered;
    expect(timers()).toBe(before);
  });
});
