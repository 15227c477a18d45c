import assert from 'node:assert/strict';
import { afterEach, describe, expect, it } from 'vitest';
import { after, checkpoint, explore, type Hook, RaceError, restoreAll, yieldAt } from 'interleave';
import { type Deferred, deferred, lockOrderInversion, raceOf } from './support/explore.ts';

afterEach(() => {
  restoreAll();
});

/** Two tasks of `steps` checkpoints each, logging the order their steps ran in. */
function loggingTasks(steps: number) {
  let log: string[] = [];
  const orders: string[] = [];
  const task = (name: string) => async () => {
    log.push(`${name}0`);
    for (let i = 1; i <= steps; i++) {
      await checkpoint(`${name}${i}`);
      log.push(`${name}${i}`);
    }
  };
  return {
    orders,
    spec: {
      setup: () => {
        log = [];
      },
      tasks: [task('a'), task('b')],
      check: () => {
        orders.push(log.join(' '));
      },
    },
  };
}

describe('checkpoint', () => {
  it('does nothing outside explore: it returns a resolved promise at once', async () => {
    const order: string[] = [];

    const pending = checkpoint('outside').then(() => order.push('checkpoint'));
    order.push('sync');
    await pending;

    expect(order).toEqual(['sync', 'checkpoint']);
  });

  it('rejects a label that is not a string', () => {
    expect(() => checkpoint(42 as unknown as string)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`label\` (the argument of checkpoint()) to be a string naming the point in the trace, got a number (42). Write e.g. checkpoint('after read'), or leave it out.]`,
    );
  });
});

describe('exhaustive', () => {
  it('tries every interleaving within the preemption bound, and again only to reach costlier ones', async () => {
    // Two tasks of two steps each (start, then one checkpoint): 6 interleavings, the two
    // most switched (abab, baba) needing 2 preemptions. The search keeps only the path of
    // the last schedule (memory grows with its length, not with the choices left), so to
    // reach the schedules of bound b it runs again those of fewer preemptions they branch
    // off, as CHESS does.
    const bounds = [0, 1, 2].map(async (maxPreemptions) => {
      const { orders, spec } = loggingTasks(1);
      const report = await explore({ ...spec, strategy: 'exhaustive', maxPreemptions });
      return { report, orders };
    });
    const [none, one, two] = await Promise.all(bounds);

    expect(none?.orders.toSorted()).toEqual(['a0 a1 b0 b1', 'b0 b1 a0 a1']);
    expect(one?.orders).toEqual([
      'a0 a1 b0 b1',
      'b0 b1 a0 a1',
      // bound 1: the two of bound 0 again, each followed by the one that branches off it
      'a0 a1 b0 b1',
      'a0 b0 b1 a1',
      'b0 b1 a0 a1',
      'b0 a0 a1 b1',
    ]);
    expect(new Set(two?.orders).size).toBe(6);
    expect(two?.report).toMatchObject({ schedules: 12, exhausted: true, strategy: 'exhaustive' });
  });

  it('explores schedules in order of increasing preemptions', async () => {
    const { orders, spec } = loggingTasks(2);
    const preemptions = (order: string) => {
      // A switch away from a task that had steps left is a preemption.
      const steps = order.split(' ');
      return steps.filter((s, i) => {
        const previous = steps[i - 1];
        return (
          previous !== undefined && !s.startsWith(previous.charAt(0)) && !previous.endsWith('2')
        );
      }).length;
    };

    await explore({ ...spec, strategy: 'exhaustive', maxPreemptions: 2 });

    // Schedules run again (to reach costlier ones) are not new: the new ones come in order.
    const counts = [...new Set(orders)].map(preemptions);
    expect(counts).toEqual(counts.toSorted((x, y) => x - y));
    expect(counts.at(-1)).toBe(2);
  });

  it('stops at `runs` when given, without claiming the space is exhausted', async () => {
    const { spec } = loggingTasks(3);

    const report = await explore({ ...spec, strategy: 'exhaustive', runs: 3 });

    expect(report).toMatchObject({ schedules: 3, exhausted: false });
  });
});

describe('portfolio (the default)', () => {
  it('settles a small space exhaustively', async () => {
    const { spec } = loggingTasks(1);

    const report = await explore(spec);

    // Its estimate (4 schedules within 2 preemptions) fits: 6 new ones and 6 runs again.
    expect(report).toMatchObject({ strategy: 'portfolio', exhausted: true, schedules: 12 });
  });

  it('goes on with pct when the space is larger than half its runs', async () => {
    const { orders, spec } = loggingTasks(6);

    const report = await explore({ ...spec, runs: 40 });

    expect(report).toMatchObject({ strategy: 'portfolio', exhausted: false, schedules: 40 });
    expect(orders).toHaveLength(40);
  });
});

describe('same seed, same schedules', () => {
  it.each(['pct', 'random', 'portfolio'] as const)('%s', async (strategy) => {
    const first = loggingTasks(4);
    const second = loggingTasks(4);
    const other = loggingTasks(4);

    await explore({ ...first.spec, strategy, seed: 11, runs: 30 });
    await explore({ ...second.spec, strategy, seed: 11, runs: 30 });
    await explore({ ...other.spec, strategy, seed: 12, runs: 30 });

    expect(second.orders).toEqual(first.orders);
    if (strategy !== 'portfolio') expect(other.orders).not.toEqual(first.orders);
  });
});

describe('failures', () => {
  it('a task that throws fails the schedule; check does not run; the cause is kept', async () => {
    let checks = 0;
    const boom = new Error('boom');

    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        tasks: [
          async () => 'fine',
          async function failing() {
            await checkpoint('before throwing');
            throw boom;
          },
        ],
        check: () => {
          checks++;
        },
      }),
    );

    expect(race.code).toBe('ERR_RACE_FOUND');
    expect(race.task).toBe(1);
    expect(race.cause).toBe(boom);
    expect(checks).toBe(0);
    expect(race.trace.at(-1)).toMatchObject({
      task: 1,
      label: 'before throwing',
      end: 'failed',
      thrown: boom,
    });
    expect(race.message).toContain('a schedule in which task 1 (failing) threw');
    expect(race.message).toContain('cause: Error: boom');
  });

  it('shows the whole multi-line message of a failed assertion', async () => {
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        tasks: [async () => ({ id: 1, tags: ['a'] })],
        check: (_ctx, results) => {
          assert.deepStrictEqual(results[0], { id: 1, tags: ['b'] });
        },
      }),
    );

    expect(race.message).toContain('Expected values to be strictly deep-equal:');
    expect(race.message).toContain("+     'a'\n-     'b'");
  });

  it("shows an assertion's expected and actual values when the runner draws the diff", async () => {
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        tasks: [async () => ({ id: 1, tags: ['a'] })],
        check: (_ctx, results) => {
          expect(results[0]).toEqual({ id: 1, tags: ['b'] });
        },
      }),
    );

    const cause = race.message.slice(
      race.message.indexOf('cause:'),
      race.message.indexOf('replay:'),
    );
    expect(cause).toContain("AssertionError: expected { id: 1, tags: [ 'a' ] } to deeply equal");
    expect(cause).toContain("expected: { id: 1, tags: [ 'b' ] }");
    expect(cause).toContain("actual:   { id: 1, tags: [ 'a' ] }");
  });

  it('check receives the results in task order', async () => {
    const seen: unknown[][] = [];

    await explore({
      strategy: 'exhaustive',
      tasks: [
        async () => {
          await checkpoint('a');
          return 'a';
        },
        async () => 'b',
      ],
      check: (_ctx, results) => {
        seen.push(results);
      },
    });

    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((results) => results.join() === 'a,b')).toBe(true);
  });

  it('after a failure, lets the other tasks settle before teardown and the next schedule', async () => {
    const events: string[] = [];

    await raceOf(
      explore({
        strategy: 'exhaustive',
        setup: () => ({ open: 0 }),
        tasks: [
          async (ctx: { open: number }) => {
            ctx.open++;
            await checkpoint('holding');
            ctx.open--;
          },
          async () => {
            await checkpoint();
            throw new Error('fails while task 0 holds its resource');
          },
        ],
        teardown: (ctx) => {
          events.push(`teardown with ${ctx.open} open`);
        },
      }),
    );

    expect(events.every((event) => event === 'teardown with 0 open')).toBe(true);
  });

  it('reports a lock-order inversion between two async mutexes as ERR_DEADLOCK', async () => {
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        stepTimeout: 10,
        settleTimeout: 20,
        // Each replay of a deadlock waits out these timeouts: how many fit in the shrink
        // budget depends on the machine, and this schedule is as small as it gets anyway.
        shrink: false,
        ...lockOrderInversion(),
      }),
    );

    expect(race.code).toBe('ERR_DEADLOCK');
    expect(race.blocked).toEqual([0, 1]);
    expect(race.abandoned).toEqual([0, 1]);
    expect(race.message.replace(/il\d\.[\w.,-]+/g, '<token>')).toMatchInlineSnapshot(`
      "explore found a deadlock: tasks 0, 1 blocked and none could go on (schedule 4 of exhaustive; 4 steps, 1 preemption).

       step │ task 0 (transfer) │ task 1 (refund)
       ─────┼───────────────────┼──────────────────
          1 │ start             │
        » 2 │                   │ start
          3 │                   │ holds b [blocked]
          4 │ holds a [blocked] │

      tasks 0, 1 had not settled and nothing in the process could wake them (no I/O, timer or other source of events was pending), so they were abandoned at once.

      replay: explore({ ...spec, replay: '<token>' }) or INTERLEAVE_REPLAY=<token>"
    `);
  });
});

describe('blocking outside the scheduler', () => {
  it('a task waiting on another is marked blocked, others run, and it rejoins', async () => {
    const report = await explore({
      strategy: 'exhaustive',
      stepTimeout: 10,
      setup: () => deferred<string>(),
      tasks: [
        async function consumer(ctx: Deferred<string>) {
          const value = await ctx.promise;
          await checkpoint('got it');
          return value;
        },
        async function producer(ctx: Deferred<string>) {
          await checkpoint('producing');
          ctx.resolve('value');
        },
      ],
      check: (_ctx, results) => {
        expect(results[0]).toBe('value');
      },
    });

    expect(report.exhausted).toBe(true);
  });

  it('shows the blocked step in the trace', async () => {
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        shrink: false, // shrinking would find the schedule that never blocks
        stepTimeout: 10,
        setup: () => deferred<undefined>(),
        tasks: [
          async function waiter(ctx: Deferred<undefined>) {
            await ctx.promise;
            await checkpoint('woken');
            throw new Error('woke up');
          },
          async function waker(ctx: Deferred<undefined>) {
            await checkpoint('waking');
            ctx.resolve(undefined);
          },
        ],
      }),
    );

    expect(race.trace[0]).toMatchObject({ task: 0, label: 'start', blocked: true, end: 'parked' });
    expect(race.message).toContain('│ start [blocked]');
  });
});

describe('points', () => {
  it('restores the hooks made in points after every schedule, passing or failing', async () => {
    const db = {
      count: 0,
      async get() {
        return this.count;
      },
      async set(n: number) {
        this.count = n;
      },
    };
    const { get, set } = db;
    const handles: Hook[] = [];
    const activeInSetup: boolean[] = [];
    let afterHookRuns = 0;

    await raceOf(
      explore({
        strategy: 'exhaustive',
        setup: async () => {
          activeInSetup.push(handles.some((hook) => hook.active));
          await db.get(); // not seen by the previous schedule's after hook
          db.count = 0;
        },
        points: () => {
          handles.push(
            yieldAt(db, 'get'),
            yieldAt(db, 'set'),
            after(
              db,
              'get',
              () => {
                afterHookRuns++;
              },
              { times: Infinity },
            ),
          );
        },
        tasks: [async () => db.set((await db.get()) + 1), async () => db.set((await db.get()) + 1)],
        check: () => {
          expect(db.count).toBe(2);
        },
      }),
    );

    expect(activeInSetup.length).toBeGreaterThan(2);
    expect(activeInSetup.some(Boolean)).toBe(false);
    expect(afterHookRuns).toBe(2 * activeInSetup.length);
    expect(handles.some((hook) => hook.active)).toBe(false);
    // Between schedules a pass-through wrapper may stay in place; at the end the originals.
    expect(db.get).toBe(get);
    expect(db.set).toBe(set);
  });

  it('puts back the original of a method the next schedule does not hook again', async () => {
    // A fresh object per schedule: the previous schedule's object must not keep its wrapper
    // (nor stay reachable from the hooks layer) once the next schedule's points are made.
    const made: { db: { get(): Promise<number> }; get: unknown }[] = [];
    const restoredAtNextCheck: boolean[] = [];
    await explore({
      strategy: 'random',
      runs: 3,
      setup: () => {
        const db = {
          async get() {
            return 1;
          },
        };
        made.push({ db, get: db.get });
        return db;
      },
      points: (db) => {
        yieldAt(db, 'get');
      },
      tasks: [async (db) => db.get(), async (db) => db.get()],
      check: () => {
        const previous = made.at(-2);
        if (previous !== undefined) restoredAtNextCheck.push(previous.db.get === previous.get);
      },
    });

    // Each schedule's check sees the previous object's method back, not kept until the end.
    expect(restoredAtNextCheck).toEqual([true, true]);
    expect(made.map(({ db, get }) => db.get === get)).toEqual([true, true, true]);
  });

  it('records what a yieldAt call returned, or what it rejected with, in its step', async () => {
    const api = {
      async load(id: number) {
        if (id < 0) throw new RangeError(`no item ${id}`);
        return { id };
      },
    };

    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        points: () => {
          yieldAt(api, 'load', { label: 'load item' });
        },
        tasks: [
          async function reader() {
            const item = await api.load(7);
            const missing = await api.load(-1).catch(() => undefined);
            return [item, missing];
          },
        ],
        check: () => {
          throw new Error('show the trace');
        },
      }),
    );

    expect(race.trace.map((step) => [step.label, step.args, step.result, step.error])).toEqual([
      ['start', undefined, undefined, undefined],
      ['load item', [7], { id: 7 }, undefined],
      ['load item', [-1], undefined, new RangeError('no item -1')],
    ]);
    expect(race.message).toContain('load item(-1) ✗ RangeError: no item -1');
  });

  it('a task that runs two branches at once parks at both, and both are scheduled', async () => {
    const report = await explore({
      strategy: 'exhaustive',
      // Granting one branch leaves the task waiting on the other: blocked for a stepTimeout.
      stepTimeout: 10,
      tasks: [
        async () => Promise.all([checkpoint('left'), checkpoint('right')]),
        async () => checkpoint('other'),
      ],
    });

    expect(report.exhausted).toBe(true);
  });
});

describe('replay', () => {
  it('INTERLEAVE_REPLAY replays only the explore call its token was made for', async () => {
    const racy = {
      setup: () => ({ n: 0 }),
      tasks: [
        async function bump(ctx: { n: number }) {
          const n = ctx.n;
          await checkpoint();
          ctx.n = n + 1;
        },
        async function bump(ctx: { n: number }) {
          const n = ctx.n;
          await checkpoint();
          ctx.n = n + 1;
        },
      ],
      check: (ctx: { n: number }) => {
        expect(ctx.n).toBe(2);
      },
    };
    const race = await raceOf(explore({ ...racy, strategy: 'exhaustive' }));
    const previous = process.env.INTERLEAVE_REPLAY;
    process.env.INTERLEAVE_REPLAY = race.replay;
    try {
      const replayed = await raceOf(explore(racy));
      const unrelated = await explore({ strategy: 'exhaustive', tasks: [() => checkpoint()] });

      expect(replayed.message).toContain('replaying its token');
      expect(replayed.trace).toEqual(race.trace);
      expect(unrelated.replayed).toBeUndefined();
      expect(unrelated.schedules).toBe(1);
    } finally {
      if (previous === undefined) delete process.env.INTERLEAVE_REPLAY;
      else process.env.INTERLEAVE_REPLAY = previous;
    }
  });

  it('a replay that passes (the bug is fixed) resolves with the token it replayed', async () => {
    let fixed = false;
    const spec = {
      strategy: 'exhaustive' as const,
      tasks: [
        async function a() {
          await checkpoint();
        },
        async function b() {},
      ],
      check: () => {
        if (!fixed) throw new Error('not fixed yet');
      },
    };
    const race = await raceOf(explore(spec));
    fixed = true;

    const report = await explore({ ...spec, replay: race.replay });

    expect(report).toMatchObject({ schedules: 1, replayed: race.replay, exhausted: false });
  });
});

it('RaceError is an InterleaveError with the documented fields', async () => {
  const race = await raceOf(
    explore({
      strategy: 'exhaustive',
      tasks: [
        async () => {
          throw new Error('x');
        },
      ],
    }),
  );

  expect(race).toBeInstanceOf(RaceError);
  expect(race.name).toBe('RaceError');
  expect(race).toMatchObject({
    strategy: 'exhaustive',
    seed: 0,
    schedule: 1,
    preemptions: 0,
    abandoned: [],
  });
  expect(race.replay).toMatch(/^il2\.1\.[0-9a-f]{8}\.0x1\.t0$/);
});
