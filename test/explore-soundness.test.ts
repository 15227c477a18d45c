/**
 * explore must never say "green" with the bug present: each case here is a schedule the
 * scheduler once could not reach (or a verdict it got wrong) and that `exhausted: true`
 * claimed covered (issue #15, items 1 to 3; the search's memory is in
 * explore-strategies.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkpoint, explore, restoreAll } from 'interleave';
import { lockOrderInversion, Mutex, raceOf } from './support/explore.ts';

afterEach(() => {
  restoreAll();
});

describe('a task woken by a step', () => {
  /**
   * `opener` opens a gate `waiter` waits at; the bug shows only when `waiter`, woken by the
   * opening, moves before `opener`'s next step. (A waiter that came after the opening did
   * not wait, and does not count.)
   */
  function gate() {
    return {
      stepTimeout: 20,
      setup: () => {
        let open!: () => void;
        const opened = new Promise<void>((resolve) => (open = resolve));
        return { opened, open, isOpen: false, openerDone: false };
      },
      tasks: [
        async function opener(ctx: { open: () => void; isOpen: boolean; openerDone: boolean }) {
          await checkpoint('open');
          ctx.isOpen = true;
          ctx.open();
          await checkpoint('after opening');
          ctx.openerDone = true;
        },
        async function waiter(ctx: {
          opened: Promise<void>;
          isOpen: boolean;
          openerDone: boolean;
        }) {
          const waited = !ctx.isOpen;
          await ctx.opened;
          await checkpoint('woken');
          if (waited && !ctx.openerDone) throw new Error('the woken waiter went first');
        },
      ],
    };
  }

  it('can move before the task that woke it (it is parked at its point before the choice)', async () => {
    const race = await raceOf(explore({ ...gate(), strategy: 'exhaustive' }));

    expect(race.code).toBe('ERR_RACE_FOUND');
    expect(race.message).toContain('the woken waiter went first');
    // One preemption: `opener` could go on after the opening; `waiter` is chosen instead.
    expect(race.preemptions).toBe(1);
  });

  it('is found by every strategy', async () => {
    for (const strategy of ['pct', 'random', 'portfolio'] as const) {
      const race = await raceOf(explore({ ...gate(), strategy, runs: 200, seed: 1 }));
      expect(race.code, strategy).toBe('ERR_RACE_FOUND');
    }
  });
});

describe('the fairness rule', () => {
  it('leaves no schedule out of exhaustive: a task may run its 70 steps before another starts', async () => {
    // `reader` reads at its start: the bug needs `counter` to run all 70 steps first. The
    // old rule switched tasks after 64 steps in a row, and exhaustive said exhausted.
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        maxPreemptions: 1,
        setup: () => ({ count: 0 }),
        tasks: [
          async function counter(ctx: { count: number }) {
            for (let i = 0; i < 70; i++) {
              await checkpoint('count');
              ctx.count++;
            }
          },
          function reader(ctx: { count: number }) {
            if (ctx.count === 70) throw new Error('the reader saw every count');
          },
        ],
      }),
    );

    expect(race.message).toContain('the reader saw every count');
  });

  it('says in the report how many switches it made, which are not preemptions', async () => {
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        maxPreemptions: 0,
        setup: () => ({ ready: false, seen: 0 }),
        tasks: [
          async function poller(ctx: { ready: boolean; seen: number }) {
            while (!ctx.ready) {
              ctx.seen++;
              await checkpoint('poll');
            }
            if (ctx.seen > 60) throw new Error(`polled ${ctx.seen} times`);
          },
          function setter(ctx: { ready: boolean }) {
            ctx.ready = true;
          },
        ],
      }),
    );

    expect(race.message).toContain('polled 64 times');
    expect(race.preemptions).toBe(0);
    expect(race.message.split('\n')[0]).toContain('0 preemptions, 1 fairness switch');
  });
});

describe('tasks that poll', () => {
  const ring = () => ({
    setup: () => ({ ready: false }),
    tasks: [
      async function pollA(ctx: { ready: boolean }) {
        while (!ctx.ready) await checkpoint('poll');
      },
      async function pollB(ctx: { ready: boolean }) {
        while (!ctx.ready) await checkpoint('poll');
      },
      async function setter(ctx: { ready: boolean }) {
        await checkpoint('set');
        ctx.ready = true;
      },
    ],
  });

  it('two pollers do not starve a third task: no false livelock, whatever the seed', async () => {
    for (let seed = 0; seed < 10; seed++) {
      const report = await explore({ ...ring(), strategy: 'pct', runs: 30, seed });
      expect(report.schedules).toBe(30);
    }
    // Every poll is a place to preempt: within one preemption, 1048 schedules.
    const exhaustive = await explore({ ...ring(), strategy: 'exhaustive', maxPreemptions: 1 });
    expect(exhaustive).toMatchObject({ exhausted: true, schedules: 1048 });
  });

  it('a real livelock names the tasks that spun and where', async () => {
    const race = await raceOf(
      explore({
        strategy: 'pct',
        runs: 1,
        maxSteps: 300,
        settleTimeout: 20,
        tasks: [
          async function left() {
            for (;;) await checkpoint('retry');
          },
          async function right() {
            for (;;) await checkpoint('retry');
          },
        ],
      }),
    );

    expect(race.code).toBe('ERR_LIVELOCK');
    expect(race.message.split('\n')[0]).toMatch(
      /^explore found a schedule that did not finish within 300 steps \(a livelock: tasks kept reaching scheduling points without finishing; in its last 256 steps, task \d \((left|right)\) ran \d+ at `retry`, task \d \((left|right)\) ran \d+ at `retry`\)/,
    );
  });

  it("an error thrown while a livelock's tasks are stopped is not its cause", async () => {
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        maxSteps: 100,
        settleTimeout: 50,
        setup: () => ({ stop: false }),
        tasks: [
          async function spinner(ctx: { stop: boolean }) {
            while (!ctx.stop) await checkpoint('spin');
            throw new Error('stopped from outside');
          },
          async function stopper(ctx: { stop: boolean }) {
            for (;;) {
              await checkpoint('wait');
              if (ctx.stop) return;
            }
          },
        ],
        teardown: (ctx) => {
          ctx.stop = true;
        },
      }),
    );

    expect(race.code).toBe('ERR_LIVELOCK');
    expect(race.cause).toBeUndefined();
  });
});

describe('stepTimeout: 0, for tasks that wait on nothing but each other', () => {
  /** Two tasks and an in-memory mutex: the second waits while the first holds it. */
  function contended() {
    return {
      stepTimeout: 0,
      setup: () => ({ mutex: new Mutex('m'), log: [] as string[] }),
      tasks: [
        async function holder({ mutex, log }: { mutex: Mutex; log: string[] }) {
          await mutex.lock();
          await checkpoint('holds');
          log.push('holder');
          mutex.unlock();
        },
        async function waiter({ mutex, log }: { mutex: Mutex; log: string[] }) {
          await checkpoint('wants');
          await mutex.lock();
          log.push('waiter');
          mutex.unlock();
        },
      ],
    };
  }

  it('a step that waits on a held lock is blocked after one turn of the event loop', async () => {
    const report = await explore({
      ...contended(),
      strategy: 'exhaustive',
      check: ({ log }) => {
        expect(log.toSorted()).toEqual(['holder', 'waiter']);
      },
    });

    // Each schedule where the waiter asks while the holder holds has a blocked step; it
    // rejoins once the lock is handed over, and every order is tried.
    expect(report).toMatchObject({ exhausted: true });
    expect(report.schedules).toBeGreaterThan(2);
  });

  it('every task waiting on another after a turn is a deadlock', async () => {
    const race = await raceOf(
      explore({
        ...lockOrderInversion(),
        stepTimeout: 0,
        settleTimeout: 20,
        strategy: 'exhaustive',
      }),
    );

    expect(race.code).toBe('ERR_DEADLOCK');
    expect(race.blocked).toEqual([0, 1]);
  });

  it('0 is accepted only for stepTimeout, and its meaning is in the message', async () => {
    await expect(explore({ tasks: [() => 1], stepTimeout: -1 })).rejects.toThrow(
      'or 0 for one turn of the event loop (tasks that wait on nothing but each other: no I/O, no timers)',
    );
    await expect(explore({ tasks: [() => 1], settleTimeout: 0 })).rejects.toThrow(/settleTimeout/);
  });
});
