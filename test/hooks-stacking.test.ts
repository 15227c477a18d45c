import { afterEach, describe, expect, it } from 'vitest';
import { after, before, restoreAll } from 'interleave';

afterEach(() => {
  restoreAll();
});

function makeCounter() {
  return {
    count: 0,
    async getCount(): Promise<number> {
      await Promise.resolve();
      return this.count;
    },
    async setCount(n: number): Promise<void> {
      await Promise.resolve();
      this.count = n;
    },
    getSync(): number {
      return this.count;
    },
  };
}

describe('several hooks on one method', () => {
  it('runs befores and afters each in the order they were created', () => {
    const log: string[] = [];
    const target = { run: () => log.push('original') };
    after(target, 'run', () => log.push('after 1'));
    before(target, 'run', () => log.push('before 1'));
    after(target, 'run', () => log.push('after 2'));
    before(target, 'run', () => log.push('before 2'));

    target.run();

    expect(log).toEqual(['before 1', 'before 2', 'original', 'after 1', 'after 2']);
  });

  it('awaits async hooks one after the other, in creation order', async () => {
    const log: string[] = [];
    const target = {
      async run() {
        await Promise.resolve();
        log.push('original');
      },
    };
    const slowHook = (name: string) => async () => {
      log.push(`${name} start`);
      await new Promise((resolve) => setImmediate(resolve));
      log.push(`${name} end`);
    };
    before(target, 'run', slowHook('b1'));
    before(target, 'run', slowHook('b2'));
    after(target, 'run', slowHook('a1'));
    after(target, 'run', slowHook('a2'));

    await target.run();

    expect(log).toEqual([
      ...['b1 start', 'b1 end', 'b2 start', 'b2 end', 'original'],
      ...['a1 start', 'a1 end', 'a2 start', 'a2 end'],
    ]);
  });

  it('keeps the other hooks working when one is restored', () => {
    const log: string[] = [];
    const target = { run: () => log.push('original') };
    const first = before(target, 'run', () => log.push('first'), {
      times: Infinity,
      unfired: 'ignore',
    });
    before(target, 'run', () => log.push('second'), { times: Infinity });

    first.restore();
    target.run();

    expect(log).toEqual(['second', 'original']);
  });

  it('puts the original back only when the last hook is gone', () => {
    const run = () => 1;
    const target = { run };
    const a = before(target, 'run', () => undefined, { unfired: 'ignore' });
    const b = after(target, 'run', () => undefined, { unfired: 'ignore' });

    a.restore();
    expect(target.run).not.toBe(run);
    b.restore();

    expect(target.run).toBe(run);
  });

  it('gives each hook its own call index and counters', () => {
    const target = { run: (n: number) => n };
    const early = after(target, 'run', () => undefined, { times: Infinity });
    target.run(1);
    const indexes: number[] = [];
    const late = after(target, 'run', ({ index }) => indexes.push(index), { times: Infinity });

    target.run(2);
    target.run(3);

    expect(early.calls).toBe(3);
    expect(late.calls).toBe(2);
    expect(indexes).toEqual([1, 2]);
  });
});

describe('calls made by a hook', () => {
  it('reach the original when the hook fires once (it disarms before it runs)', async () => {
    const db = makeCounter();
    const increment = async () => db.setCount((await db.getCount()) + 1);
    const hook = after(db, 'getCount', () => increment());

    await increment();

    expect(db.count).toBe(1);
    expect(hook.fired).toBe(1);
  });

  it('pass through a multi-shot hook that is running, also across its awaits', async () => {
    const db = makeCounter();
    const seenByHook: number[] = [];
    const hook = after(
      db,
      'getCount',
      async ({ result }) => {
        seenByHook.push(result as number);
        await Promise.resolve();
        await db.getCount(); // from inside the hook: must not re-enter it
        await new Promise((resolve) => setImmediate(resolve));
        await db.getCount();
      },
      { times: Infinity },
    );

    await db.getCount();
    db.count = 5;
    await db.getCount();

    expect(seenByHook).toEqual([0, 5]);
    expect(hook.fired).toBe(2);
    expect(hook.calls).toBe(6);
  });

  it('made after the hook finished, by work it left behind, fire it again', async () => {
    const db = makeCounter();
    let release!: () => void;
    const leftBehind = new Promise<void>((resolve) => (release = resolve));
    let later: Promise<number> | undefined;
    const hook = after(
      db,
      'getCount',
      () => {
        // Not awaited: runs after this invocation of the hook is over.
        later ??= leftBehind.then(() => db.getCount());
      },
      { times: 5 },
    );
    // A different multi-shot hook that is still running keeps the reentrancy guard enabled.
    const other = { run: async (gate: Promise<void>) => gate };
    let finishOther!: () => void;
    const otherGate = new Promise<void>((resolve) => (finishOther = resolve));
    before(other, 'run', () => otherGate, { times: 2 });
    const otherRun = other.run(Promise.resolve());

    await db.getCount();
    release();
    await later;
    finishOther();
    await otherRun;

    expect(hook.fired).toBe(2);
  });

  it('still meet the other hooks on the method', async () => {
    const db = makeCounter();
    const log: string[] = [];
    after(
      db,
      'getCount',
      async () => {
        log.push('outer hook');
        await db.getCount();
      },
      { times: 3 },
    );
    after(db, 'getCount', () => log.push('other hook'), { times: Infinity });

    await db.getCount();

    expect(log).toEqual(['outer hook', 'other hook', 'other hook']);
  });

  it('of a synchronous multi-shot hook pass through it too', () => {
    const db = makeCounter();
    let nested = 0;
    after(
      db,
      'getSync',
      () => {
        nested++;
        db.getSync();
      },
      { times: Infinity },
    );

    db.getSync();
    db.getSync();

    expect(nested).toBe(2);
  });

  it('made concurrently from outside a running multi-shot hook are hooked', async () => {
    const db = makeCounter();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let firings = 0;
    const hook = after(
      db,
      'getCount',
      async () => {
        firings++;
        if (firings === 1) await gate;
      },
      { times: Infinity },
    );

    const first = db.getCount();
    await hook.triggered; // the first firing is now parked at the gate
    await db.getCount(); // not inside the hook: fires it a second time
    release();
    await first;

    expect(firings).toBe(2);
  });
});

describe('concurrent calls and once-only firing', () => {
  it('fires on the first call to settle, and lets the others through', async () => {
    const db = makeCounter();
    const fired: number[] = [];
    after(db, 'setCount', ({ args }) => fired.push(args[0]));

    await Promise.all([db.setCount(1), db.setCount(2), db.setCount(3)]);

    expect(fired).toEqual([1]);
  });
});

describe('the order of decisions among concurrent calls', () => {
  /** An async method whose calls settle when the test says so, in any order. */
  function makeGated() {
    const gates: (() => void)[] = [];
    return {
      gates,
      async fetch(id: number): Promise<number> {
        await new Promise<void>((resolve) => gates.push(resolve));
        return id;
      },
    };
  }

  it('after, times 1: fires on the first call to settle, not the first to start', async () => {
    const api = makeGated();
    const hook = after(api, 'fetch', () => undefined);

    const slow = api.fetch(1);
    const fast = api.fetch(2);
    api.gates[1]?.();
    await fast;
    api.gates[0]?.();
    await slow;

    expect((await hook.triggered).args).toEqual([2]);
  });

  it('skip without `when` counts calls in call order', async () => {
    const api = makeGated();
    const hook = after(api, 'fetch', () => undefined, { skip: 1 });

    const first = api.fetch(1);
    const second = api.fetch(2);
    api.gates[1]?.();
    await second;
    api.gates[0]?.();
    await first;

    expect((await hook.triggered).args).toEqual([2]);
    expect(hook.calls).toBe(2);
  });

  it('skip with `when` counts matching calls in the order they settle', async () => {
    const api = makeGated();
    const fired: unknown[] = [];
    after(api, 'fetch', ({ args }) => fired.push(args[0]), { skip: 1, when: () => true });

    const first = api.fetch(1);
    const second = api.fetch(2);
    api.gates[1]?.();
    await second; // settles first: skipped
    api.gates[0]?.();
    await first;

    expect(fired).toEqual([1]);
  });
});

describe('restoring', () => {
  it('a property replaced while hooked is left to its replacement, and can be hooked anew', () => {
    const target = { run: (): string => 'original' };
    const first = before(target, 'run', () => undefined, { times: Infinity, unfired: 'ignore' });
    const replacement = () => 'replacement';
    target.run = replacement; // e.g. a hand-written mock

    const second = after(target, 'run', () => undefined);
    expect(target.run()).toBe('replacement');
    expect(second.fired).toBe(1);
    restoreAll();

    expect(first.active).toBe(false);
    expect(target.run).toBe(replacement);
  });

  it('restore() is idempotent', () => {
    const run = () => 1;
    const target = { run };
    const hook = after(target, 'run', () => undefined, { unfired: 'ignore' });

    hook.restore();
    hook.restore();

    expect(target.run).toBe(run);
    expect(hook.active).toBe(false);
  });

  it('`using` restores at the end of the scope, also when the scope throws', () => {
    const run = () => 1;
    const target = { run };

    expect(() => {
      using hook = after(target, 'run', () => undefined, { times: Infinity, unfired: 'ignore' });
      expect(hook.active).toBe(true);
      throw new Error('test failed inside the scope');
    }).toThrow('test failed inside the scope');

    expect(target.run).toBe(run);
  });

  it('restoreAll() restores every installed hook and is safe with none', () => {
    const run = () => 1;
    const a = { run };
    const b = { run };
    before(a, 'run', () => undefined, { unfired: 'ignore' });
    after(b, 'run', () => undefined, { times: 5, unfired: 'ignore' });

    restoreAll();
    restoreAll();

    expect(a.run).toBe(run);
    expect(b.run).toBe(run);
  });

  it('calls in flight when the hook is restored finish normally', async () => {
    const db = makeCounter();
    const fired: number[] = [];
    const hook = after(db, 'getCount', () => fired.push(1), { unfired: 'ignore' });

    const inFlight = db.getCount();
    hook.restore();

    await expect(inFlight).resolves.toBe(0);
    expect(fired).toEqual([]);
  });

  it('a hook that fired its last time is uninstalled and leaves the original in place', () => {
    const run = () => 1;
    const target = { run };
    after(target, 'run', () => undefined, { times: 2 });

    target.run();
    target.run();

    expect(target.run).toBe(run);
  });
});
