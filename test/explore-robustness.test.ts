/**
 * explore against programs that are awkward for a scheduler: polling loops, livelocks, work
 * that outlives a schedule, lazy thenables, concurrent explores. Each case came out of a
 * review of the scheduler and failed (hung, leaked or misreported) before it was fixed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkpoint, explore, restoreAll, yieldAt } from 'interleave';
import { type Deferred, deferred, raceOf } from './support/explore.ts';

afterEach(() => {
  restoreAll();
});

describe('programs that spin on a scheduling point', () => {
  it('a task polling for another one is made to let it run (fairness), so the default schedule ends', async () => {
    const report = await explore({
      strategy: 'exhaustive',
      setup: () => ({ ready: false }),
      tasks: [
        async function poller(ctx: { ready: boolean }) {
          while (!ctx.ready) await checkpoint('poll');
        },
        async function setter(ctx: { ready: boolean }) {
          await checkpoint('set');
          ctx.ready = true;
        },
      ],
    });

    expect(report.exhausted).toBe(true);
  });

  it('two tasks that never finish are a livelock (ERR_LIVELOCK), not a hang', async () => {
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        maxSteps: 500,
        tasks: [
          async function left() {
            for (;;) await checkpoint('retry');
          },
          async function right() {
            for (;;) await checkpoint('retry');
          },
        ],
        settleTimeout: 20,
      }),
    );

    expect(race.code).toBe('ERR_LIVELOCK');
    expect(race.trace).toHaveLength(500);
    expect(race.message).toContain('did not finish within 500 steps');
    // Each task's 64 steps in a row at 'retry' are one row of the table.
    expect(race.message).toMatch(/│ retry × 64/);
    expect(race.abandoned).toEqual([0, 1]);
  });
});

describe('work around the schedule', () => {
  it('a scheduling point reached after the schedule ended passes straight through', async () => {
    let late: Promise<string> | undefined;

    await explore({
      strategy: 'exhaustive',
      runs: 1,
      tasks: [
        async () => {
          // Detached work, still running when the task has finished.
          late = Promise.resolve().then(async () => {
            await checkpoint('late');
            return 'done';
          });
        },
      ],
    });

    await expect(late).resolves.toBe('done');
  });

  it('after a failure, tasks that never started stay unstarted', async () => {
    const ran: string[] = [];

    await raceOf(
      explore({
        strategy: 'exhaustive',
        runs: 1,
        shrink: false,
        tasks: [
          async function a() {
            ran.push('a');
            throw new Error('a fails at once');
          },
          async function b() {
            ran.push('b');
          },
        ],
      }),
    );

    // The failing schedule, then the replay that confirms its token: b started in neither.
    expect(ran).toEqual(['a', 'a']);
  });

  it('what tasks do while settling after a failure does not rewrite the trace', async () => {
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        shrink: false,
        setup: () => ({ writing: false }),
        tasks: [
          async function writer(ctx: { writing: boolean }) {
            ctx.writing = true;
            await checkpoint('read');
            await checkpoint('write');
            ctx.writing = false;
            return 'written';
          },
          async function failer(ctx: { writing: boolean }) {
            await checkpoint('check');
            if (ctx.writing) throw new Error('failer saw the writer half-way');
          },
        ],
      }),
    );

    // The writer finished while the tasks settled, but at the failure it was parked.
    const writerSteps = race.trace.filter((step) => step.task === 0);
    expect(writerSteps.length).toBeGreaterThan(0);
    expect(writerSteps.every((step) => step.end === 'parked')).toBe(true);
    expect(race.message).not.toContain('returned');
  });

  it('a teardown that throws after a failed schedule does not hide the race', async () => {
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        tasks: [
          async () => {
            throw new Error('the race');
          },
        ],
        teardown: () => {
          throw new Error('teardown broke');
        },
      }),
    );

    expect((race.cause as Error).message).toBe('the race');
    expect(race.message).toContain('teardown failed too: Error: teardown broke');
  });

  it('a teardown that throws after a passing schedule fails explore with its error', async () => {
    await expect(
      explore({
        tasks: [async () => {}],
        teardown: () => {
          throw new Error('teardown broke');
        },
      }),
    ).rejects.toThrow('teardown broke');
  });
});

describe('blocked tasks', () => {
  it('says when the "deadlocked" tasks finished once released: maybe only slow', async () => {
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        stepTimeout: 5, // blocked after 5 ms, a deadlock after 25 ms
        settleTimeout: 2000,
        // The timer stands for slow I/O: on the wall clock, not the schedule's own.
        time: 'real',
        tasks: [
          async function slowQuery() {
            // Slow I/O, not a deadlock: it answers after 80 ms.
            await new Promise((resolve) => setTimeout(resolve, 80));
          },
        ],
      }),
    );

    expect(race.code).toBe('ERR_DEADLOCK');
    expect(race.message).toContain('may only have been slow');
    expect(race.abandoned).toEqual([]);
  });
});

describe('yieldAt on unusual methods', () => {
  it('two yieldAt hooks matching one call park it once', async () => {
    const db = {
      async query(sql: string) {
        return sql.length;
      },
    };

    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        points: () => {
          yieldAt(db, 'query', { label: 'any' });
          yieldAt(db, 'query', {
            label: 'update',
            when: (c) => String(c.args[0]).startsWith('UPDATE'),
          });
        },
        tasks: [async () => db.query('UPDATE x')],
        check: () => {
          throw new Error('show the trace');
        },
      }),
    );

    expect(race.trace.map((step) => [step.label, step.result])).toEqual([
      ['start', undefined],
      ['any', 8],
    ]);
  });

  it('a method that throws synchronously leaves no unhandled rejection behind', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const db = {
      query(sql: string): Promise<number> {
        if (sql.includes('bad')) throw new TypeError('bad query');
        return Promise.resolve(1);
      },
    };

    try {
      await explore({
        strategy: 'exhaustive',
        points: () => {
          yieldAt(db, 'query', {
            label: 'read',
            when: (c) => String(c.args[0]).startsWith('SELECT'),
          });
          yieldAt(db, 'query', {
            label: 'write',
            when: (c) => String(c.args[0]).startsWith('UPDATE'),
          });
        },
        tasks: [
          async () => {
            await db.query('SELECT 1');
            await db.query('SELECT bad').catch(() => undefined);
          },
        ],
      });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }

    expect(unhandled).toEqual([]);
  });

  it('a lazy thenable (a query builder) is executed once', async () => {
    let executions = 0;
    class Query implements PromiseLike<number> {
      then<A = number, B = never>(
        onFulfilled?: ((value: number) => A | PromiseLike<A>) | null,
        onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
      ): PromiseLike<A | B> {
        executions++;
        return Promise.resolve(42).then(onFulfilled, onRejected);
      }
    }
    const model = { findOne: (): PromiseLike<number> => new Query() };

    await explore({
      strategy: 'exhaustive',
      points: () => {
        yieldAt(model, 'findOne');
      },
      tasks: [async () => model.findOne()],
      check: (_ctx, results) => {
        expect(results).toEqual([42]);
      },
    });

    expect(executions).toBe(1);
  });
});

it('two explores whose points run at the same time keep their own hooks', async () => {
  const first = {
    async get() {
      return 1;
    },
  };
  const second = {
    async get() {
      return 2;
    },
  };
  const [firstGet, secondGet] = [first.get, second.get];
  const gates: Deferred<undefined>[] = [deferred(), deferred()];

  const a = explore({
    strategy: 'exhaustive',
    points: async () => {
      await gates[0]?.promise;
      yieldAt(first, 'get');
    },
    tasks: [async () => first.get()],
  });
  const b = explore({
    strategy: 'exhaustive',
    points: async () => {
      gates[0]?.resolve(undefined); // let the first explore's points go on while ours waits
      await gates[1]?.promise;
      yieldAt(second, 'get');
    },
    tasks: [async () => second.get()],
  });
  gates[1]?.resolve(undefined);
  await Promise.all([a, b]);

  expect(first.get).toBe(firstGet);
  expect(second.get).toBe(secondGet);
});

it('a damaged token with an absurd step count is refused, not expanded', async () => {
  await expect(
    explore({ tasks: [async () => {}], replay: 'il1.1.00000000.0x99999999999' }),
  ).rejects.toMatchObject({ code: 'ERR_REPLAY_INVALID' });
});
