/**
 * No silent false green: an exploration that never had a choice rejects with
 * ERR_NOTHING_TO_EXPLORE, the report counts the points it saw, and a failure is replayed once
 * from its token before it is reported.
 */
import { describe, expect, it } from 'vitest';
import { checkpoint, explore, InterleaveError, yieldAt } from 'interleave';
import { deferred, raceOf } from './support/explore.ts';

async function refusal(promise: Promise<unknown>): Promise<InterleaveError> {
  const error = await promise.then(
    () => new Error('explore resolved'),
    (error: unknown) => error,
  );
  if (error instanceof InterleaveError) return error;
  throw error;
}

/** A queue whose worker loop was started before the tasks, out of their async context. */
function queueWithWorker(store: { write(n: number): Promise<void> }) {
  const jobs: number[] = [];
  let wake = deferred<void>();
  const state = { stopped: false };
  const worker = (async () => {
    for (;;) {
      await wake.promise;
      wake = deferred<void>();
      if (state.stopped) return;
      while (jobs.length > 0) await store.write(jobs.shift() as number);
    }
  })();
  return {
    push(n: number) {
      jobs.push(n);
      wake.resolve();
    },
    async stop() {
      state.stopped = true;
      wake.resolve();
      await worker;
    },
  };
}

describe('ERR_NOTHING_TO_EXPLORE', () => {
  it('tasks that reach no point after their start: a rejection, not a pass', async () => {
    let count = 0;
    const error = await refusal(
      explore({
        strategy: 'exhaustive',
        setup: () => {
          count = 0;
        },
        tasks: [
          async () => {
            const seen = count;
            await Promise.resolve();
            count = seen + 1;
          },
          async () => {
            const seen = count;
            await Promise.resolve();
            count = seen + 1;
          },
        ],
        check: () => {
          if (count !== 2) throw new Error(`lost update: ${count}`);
        },
      }),
    );
    expect(error.code).toBe('ERR_NOTHING_TO_EXPLORE');
    expect(error.message).toMatchInlineSnapshot(`
      "explore ran 2 schedules of 2 tasks (exhaustive) and had nothing to explore: no task reached a scheduling point after its start, so each task ran from its start to its end in one step and the only choice was which task starts first. A race inside the tasks cannot be found that way, so this is not a pass.

      To fix it, add scheduling points in the race window, where a task reads shared state and acts on it later: in \`points\`, yieldAt(target, 'method') on a method the tasks call that returns a promise (a query, a read, a write), with { callback: true } for a callback API (fs.stat(path, cb)) or { defer: true } for an emit, or \`await checkpoint('label')\` in the code itself between the read and the write. node_modules/interleave/docs/real-code.md says what explore sees of timers, callbacks, events, handlers and queues."
    `);
  });

  it('points reached only outside the tasks (a queue made before them) are named', async () => {
    const store = {
      value: 0,
      async write(n: number) {
        this.value = n;
      },
    };
    const queue = queueWithWorker(store);
    try {
      const error = await refusal(
        explore({
          strategy: 'random',
          runs: 3,
          points: () => {
            yieldAt(store, 'write');
          },
          tasks: [async () => queue.push(1), async () => queue.push(2)],
        }),
      );
      expect(error.code).toBe('ERR_NOTHING_TO_EXPLORE');
      const outside = error.message.split('\n\n')[1];
      expect(outside).toMatch(/^\d+ scheduling points? (was|were) reached outside every task/);
      expect(outside).toContain('passed through uncontrolled');
    } finally {
      await queue.stop();
    }
  });

  it('every strategy refuses the same way', async () => {
    for (const strategy of ['exhaustive', 'pct', 'random', 'portfolio', 'delay-bounded'] as const) {
      const error = await refusal(
        explore({ strategy, runs: 5, tasks: [async () => 1, async () => 2] }),
      );
      expect(error.code, strategy).toBe('ERR_NOTHING_TO_EXPLORE');
    }
  });

  it('a task that fails at its start is still a race found, not nothing to explore', async () => {
    const race = await raceOf(
      explore({
        tasks: [
          async () => 1,
          async () => {
            throw new Error('fails at once');
          },
        ],
      }),
    );
    expect(race.code).toBe('ERR_RACE_FOUND');
  });
});

describe('ExploreReport.points and lanes', () => {
  it('counts each task’s points after its start, on average per schedule', async () => {
    const report = await explore({
      strategy: 'exhaustive',
      tasks: [
        async () => {
          await checkpoint('one');
          await checkpoint('two');
        },
        () => checkpoint('only'),
        async () => 'no point',
      ],
    });
    expect(report.points).toEqual({ byTask: [2, 1, 0], outsideTasks: 0 });
    expect(report.lanes).toBe(3);
  });

  it('a point a task reaches only in some schedules counts as a fraction', async () => {
    let schedule = 0;
    const report = await explore({
      strategy: 'random',
      runs: 4,
      setup: () => {
        schedule++;
      },
      tasks: [
        async () => {
          if (schedule % 2 === 0) await checkpoint('every other schedule');
          await checkpoint('always');
        },
        async () => undefined,
      ],
    });
    expect(report.points.byTask).toEqual([1.5, 0]);
  });
});

describe('a failure is replayed once before it is reported', () => {
  it('a token that reproduces: reproducible true, one extra schedule', async () => {
    let schedules = 0;
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        shrink: false,
        setup: () => {
          schedules++;
          return { n: 0 };
        },
        tasks: [
          async (ctx: { n: number }) => {
            const n = ctx.n;
            await checkpoint('read');
            ctx.n = n + 1;
          },
          async (ctx: { n: number }) => {
            const n = ctx.n;
            await checkpoint('read');
            ctx.n = n + 1;
          },
        ],
        check: (ctx) => {
          if (ctx.n !== 2) throw new Error(`lost update: ${ctx.n}`);
        },
      }),
    );
    expect(race.reproducible).toBe(true);
    expect(race.message).not.toContain('may not reproduce');
    expect(schedules).toBe(race.schedule + 1);
  });

  it('a token that does not reproduce: reproducible false, and the message says so', async () => {
    let failures = 0;
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        shrink: false,
        tasks: [
          async () => {
            await checkpoint('a');
            // Fails once only: state outside the scheduler's control decides.
            if (failures++ === 0) throw new Error('only the first time');
          },
          () => checkpoint('b'),
        ],
      }),
    );
    expect(race.reproducible).toBe(false);
    const paragraph = race.message.split('\n\n').find((p) => p.startsWith('The token may not'));
    expect(paragraph).toMatchInlineSnapshot(
      `"The token may not reproduce this schedule: replayed once before this report, it ended otherwise: every task finished and check passed, with no step blocked, where the schedule reported here failed (task 0 threw, with no step blocked). Something explore did not control decided part of the order: steps that waited on I/O or a database (a step blocked in one run and not in the other is the usual sign), real timers, or points outside the tasks. Replay it a few times; if it keeps changing, raise stepTimeout or put the uncontrolled work under a scheduling point."`,
    );
  });

  it('a replay that cannot follow the token says so', async () => {
    let schedule = 0;
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        shrink: false,
        setup: () => {
          schedule++;
        },
        tasks: [
          async () => {
            // The first schedule has a point the replay will not have.
            if (schedule === 1) await checkpoint('first schedule only');
            await checkpoint('a');
            if (schedule === 1) throw new Error('fails in the first schedule');
          },
          () => checkpoint('b'),
        ],
      }),
    );
    expect(race.reproducible).toBe(false);
    expect(race.message).toContain('could not follow the token');
  });
});
