import { afterEach, describe, expect, it } from 'vitest';
import { after, before, type CallInfo, InterleaveError, restoreAll } from 'interleave';

afterEach(() => {
  restoreAll();
});

/** A small store whose methods record the order of events. */
function makeStore(log: string[]) {
  return {
    value: 0,
    read(): number {
      log.push('read');
      return this.value;
    },
    write(n: number): void {
      log.push(`write ${n}`);
      this.value = n;
    },
    async readAsync(): Promise<number> {
      await Promise.resolve();
      log.push('readAsync');
      return this.value;
    },
    async failAsync(): Promise<never> {
      await Promise.resolve();
      log.push('failAsync');
      throw new Error('boom');
    },
    fail(): never {
      log.push('fail');
      throw new Error('sync boom');
    },
  };
}

describe('before and after on synchronous methods', () => {
  it('runs before the original and after it returns, once by default', () => {
    const log: string[] = [];
    const store = makeStore(log);
    before(store, 'read', () => log.push('before'));
    after(store, 'read', (call) => log.push(`after ${String(call.result)}`));

    store.read();
    store.read();

    expect(log).toEqual(['before', 'read', 'after 0', 'read']);
  });

  it('passes args, thisArg, index and result in CallInfo', () => {
    const store = makeStore([]);
    const seen: CallInfo[] = [];
    after(store, 'write', (call) => seen.push(call));

    store.write(5);

    expect(seen).toEqual([{ args: [5], thisArg: store, index: 1, result: undefined }]);
    expect('error' in (seen[0] as CallInfo)).toBe(false);
  });

  it('runs an after hook when the original throws, then rethrows the original error', () => {
    const log: string[] = [];
    const store = makeStore(log);
    const errors: unknown[] = [];
    after(store, 'fail', (call) => errors.push(call.error));

    expect(() => store.fail()).toThrow('sync boom');
    expect(errors).toEqual([new Error('sync boom')]);
  });

  it('tells a thrown undefined from a result with `in`', () => {
    const target = {
      run(): never {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the case under test
        throw undefined;
      },
    };
    const seen: CallInfo[] = [];
    after(target, 'run', (call) => seen.push(call));

    expect(() => target.run()).toThrow();
    expect('error' in (seen[0] as CallInfo)).toBe(true);
    expect('result' in (seen[0] as CallInfo)).toBe(false);
  });

  it('makes the call throw the error of a throwing hook (before: original not called)', () => {
    const log: string[] = [];
    const store = makeStore(log);
    before(store, 'read', () => {
      throw new Error('from before');
    });
    after(store, 'write', () => {
      throw new Error('from after');
    });

    expect(() => store.read()).toThrow('from before');
    expect(() => store.write(3)).toThrow('from after');
    expect(log).toEqual(['write 3']);
    expect(store.value).toBe(3);
  });
});

describe('async-aware hooks', () => {
  it('runs after once the returned promise fulfils, and the caller waits for the hook', async () => {
    const log: string[] = [];
    const store = makeStore(log);
    after(store, 'readAsync', async (call) => {
      log.push(`hook start ${String(call.result)}`);
      await Promise.resolve();
      log.push('hook end');
    });

    const value = await store.readAsync();
    log.push(`caller got ${value}`);

    expect(log).toEqual(['readAsync', 'hook start 0', 'hook end', 'caller got 0']);
  });

  it('runs after once the returned promise rejects, and the caller sees the rejection after the hook', async () => {
    const log: string[] = [];
    const store = makeStore(log);
    after(store, 'failAsync', async (call) => {
      await Promise.resolve();
      log.push(`hook saw ${(call.error as Error).message}`);
    });

    await expect(store.failAsync()).rejects.toThrow('boom');
    expect(log).toEqual(['failAsync', 'hook saw boom']);
  });

  it('delays the original until an async before hook settles', async () => {
    const log: string[] = [];
    const store = makeStore(log);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    before(store, 'readAsync', async () => {
      log.push('before waits');
      await gate;
      log.push('before done');
    });

    const call = store.readAsync();
    await Promise.resolve();
    log.push('test releases');
    release();
    await call;

    expect(log).toEqual(['before waits', 'test releases', 'before done', 'readAsync']);
  });

  it('rejects with the error of a throwing async hook', async () => {
    const store = makeStore([]);
    after(store, 'readAsync', () => Promise.reject(new Error('hook rejected')));

    await expect(store.readAsync()).rejects.toThrow('hook rejected');
  });

  it('turns a throwing before hook on an async function into a rejection', async () => {
    const store = makeStore([]);
    before(store, 'readAsync', () => {
      throw new Error('no');
    });

    const result = store.readAsync();

    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toThrow('no');
  });

  it('accepts functions that are not async but return promises', async () => {
    const client = {
      query(sql: string): Promise<string> {
        return new Promise((resolve) => setImmediate(() => resolve(`rows of ${sql}`)));
      },
    };
    const log: string[] = [];
    before(client, 'query', async () => {
      await Promise.resolve();
      log.push('before');
    });
    after(client, 'query', async ({ result }) => {
      await Promise.resolve();
      log.push(`after ${String(result)}`);
    });

    expect(await client.query('q')).toBe('rows of q');
    expect(log).toEqual(['before', 'after rows of q']);
  });

  it('runs after hooks on a synchronous throw that follows an async before hook', async () => {
    const client = {
      query(sql: string): Promise<string> {
        if (sql === '') throw new TypeError('empty query');
        return Promise.resolve(sql);
      },
    };
    const seen: unknown[] = [];
    after(client, 'query', ({ error }) => seen.push(error));
    before(client, 'query', async () => {
      await Promise.resolve();
    });

    await expect(client.query('')).rejects.toThrow('empty query');
    expect(seen).toEqual([new TypeError('empty query')]);
  });

  it('returns the original promise itself when no after hook takes part', () => {
    const promise = Promise.resolve(1);
    const api = { get: () => promise };
    before(api, 'get', () => undefined);

    expect(api.get()).toBe(promise);
  });
});

describe('async hooks around synchronous functions', () => {
  it('throws ERR_ASYNC_HOOK_ON_SYNC_FUNCTION for an async after hook, never returns a promise', () => {
    const store = makeStore([]);
    let hookFinished = false;
    after(store, 'read', async () => {
      await Promise.resolve();
      hookFinished = true;
    });

    let error: unknown;
    try {
      store.read();
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(InterleaveError);
    expect((error as InterleaveError).code).toBe('ERR_ASYNC_HOOK_ON_SYNC_FUNCTION');
    expect((error as Error).message).toMatchInlineSnapshot(
      `"The after() hook on \`read\` returned a promise, but \`read\` finished synchronously (it returned a number (0)), so its caller cannot wait for the hook without the outcome changing. Make the hook synchronous: do the work inline, or start async work without returning it (\`() => { pending = work(); }\`) and await \`pending\` in the test."`,
    );
    expect(hookFinished).toBe(false);
  });

  it('keeps the original error as the cause when an async after hook meets a synchronous throw', () => {
    const client = {
      query(sql: string): Promise<string> {
        if (sql === '') throw new TypeError('empty query');
        return Promise.resolve(sql);
      },
    };
    after(client, 'query', async () => undefined);

    let error: unknown;
    try {
      void client.query('');
    } catch (caught) {
      error = caught;
    }

    expect((error as InterleaveError).code).toBe('ERR_ASYNC_HOOK_ON_SYNC_FUNCTION');
    expect((error as Error).cause).toEqual(new TypeError('empty query'));
    expect((error as Error).message).toContain(
      'it threw an error (TypeError: empty query), which is the cause of this error',
    );
  });

  it('rejects with ERR_ASYNC_HOOK_ON_SYNC_FUNCTION when an async before hook meets a sync original', async () => {
    const store = makeStore([]);
    before(store, 'read', async () => {
      await Promise.resolve();
    });

    const result = store.read() as unknown as Promise<number>;

    await expect(result).rejects.toMatchObject({ code: 'ERR_ASYNC_HOOK_ON_SYNC_FUNCTION' });
    await expect(result).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InterleaveError: The before() hook on \`read\` returned a promise, so \`read\` was called once it settled; but \`read\` is synchronous (it returned a number (0)), and its caller has already received a promise instead. Make the hook synchronous, or hook a function that returns a promise.]`,
    );
  });
});

describe('times, when and skip', () => {
  it('fires `times` times and then disarms', () => {
    const store = makeStore([]);
    const hook = after(store, 'read', () => undefined, { times: 2 });

    store.read();
    expect(hook.active).toBe(true);
    store.read();
    store.read();

    expect(hook.fired).toBe(2);
    expect(hook.active).toBe(false);
  });

  it('fires on every call with times: Infinity until restored', () => {
    const store = makeStore([]);
    const hook = after(store, 'read', () => undefined, { times: Infinity });

    for (let i = 0; i < 5; i++) store.read();

    expect(hook.fired).toBe(5);
    expect(hook.active).toBe(true);
    hook.restore();
    store.read();
    expect(hook.fired).toBe(5);
  });

  it('fires only on calls that `when` accepts, with the same CallInfo the hook gets', () => {
    const store = makeStore([]);
    const whenSaw: CallInfo[] = [];
    const hookSaw: CallInfo[] = [];
    before(store, 'write', (call) => hookSaw.push(call), {
      when: (call) => {
        whenSaw.push(call);
        return call.args[0] === 2;
      },
    });

    store.write(1);
    store.write(2);
    store.write(3);

    expect(hookSaw).toHaveLength(1);
    expect(hookSaw[0]?.args).toEqual([2]);
    expect(hookSaw[0]?.index).toBe(2);
    expect(whenSaw[1]).toBe(hookSaw[0]);
  });

  it('lets `when` of an after hook see the result', () => {
    const store = makeStore([]);
    const fired: unknown[] = [];
    after(store, 'read', ({ result }) => fired.push(result), {
      when: ({ result }) => result === 7,
    });

    store.read();
    store.value = 7;
    store.read();

    expect(fired).toEqual([7]);
  });

  it('skips the first N matching calls, counting only matches', () => {
    const store = makeStore([]);
    const fired: number[] = [];
    const hook = before(store, 'write', ({ index }) => fired.push(index), {
      when: ({ args }) => args[0] % 2 === 0,
      skip: 2,
      times: 2,
    });

    for (let n = 1; n <= 10; n++) store.write(n);

    expect(fired).toEqual([6, 8]);
    expect(hook.calls).toBe(8);
  });

  it('makes the call throw when `when` throws', () => {
    const store = makeStore([]);
    before(store, 'read', () => undefined, {
      when: () => {
        throw new Error('bad filter');
      },
      unfired: 'ignore',
    });

    expect(() => store.read()).toThrow('bad filter');
  });
});

describe('counters and triggered', () => {
  it('counts every call while installed, fired or not', () => {
    const store = makeStore([]);
    const hook = after(store, 'read', () => undefined, { skip: 2 });

    store.read();
    store.read();
    expect([hook.fired, hook.calls, hook.active]).toEqual([0, 2, true]);
    store.read();

    expect([hook.fired, hook.calls, hook.active]).toEqual([1, 3, false]);
  });

  it('resolves `triggered` with the CallInfo of the first firing', async () => {
    const store = makeStore([]);
    const hook = after(store, 'write', () => undefined, { times: 3 });
    const triggered = hook.triggered;

    store.write(4);
    store.write(5);

    await expect(triggered).resolves.toMatchObject({ args: [4], index: 1 });
    await expect(hook.triggered).resolves.toMatchObject({ args: [4] });
  });

  it('resolves `triggered` read after the hook already fired', async () => {
    const store = makeStore([]);
    const hook = before(store, 'write', () => undefined);
    store.write(9);

    await expect(hook.triggered).resolves.toMatchObject({ args: [9] });
  });

  it('rejects `triggered` with ERR_HOOK_RESTORED when restored before firing', async () => {
    const store = makeStore([]);
    const hook = after(store, 'read', () => undefined, { when: () => false, unfired: 'ignore' });
    const triggered = hook.triggered;
    store.read();

    hook.restore();

    await expect(triggered).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InterleaveError: The after() hook on \`read\` was restored before it fired, so \`triggered\` can never resolve. It saw 1 call: 1 not accepted by \`when\`. Check the condition in \`when\`.]`,
    );
    await expect(hook.triggered).rejects.toMatchObject({ code: 'ERR_HOOK_RESTORED' });
  });

  it('does not report an unobserved restored `triggered` as an unhandled rejection', async () => {
    const store = makeStore([]);
    const hook = after(store, 'read', () => undefined, { unfired: 'ignore' });
    void hook.triggered;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);

    hook.restore();
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onUnhandled);

    expect(unhandled).toEqual([]);
  });
});
