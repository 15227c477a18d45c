/**
 * Incrmnt under the controlled scheduler: instead of placing the second request by hand (as
 * `after` does in incrmnt.test.ts), `explore` tries the interleavings of two requests and
 * reports the one that loses an update, as a table, with a token that replays it.
 */
import { describe, expect, it } from 'vitest';
import { checkpoint, explore, RaceError, yieldAt } from 'interleave';
import { asyncDb } from './db.ts';
import { twoRequests } from './explore-spec.ts';
import { raceOf } from '../../test/support/explore.ts';
import { atomicIncrementAsync, incrementAsync, queuedIncrementAsync } from './incrmnt.ts';

/** How many times the running task changes along a trace. */
function switches(error: RaceError): number {
  return error.trace.filter((step, i) => i > 0 && step.task !== error.trace[i - 1]?.task).length;
}

describe('explore finds the Incrmnt lost update', () => {
  it.each(['exhaustive', 'pct', 'random', 'portfolio'] as const)('with %s', async (strategy) => {
    const race = await raceOf(explore({ ...twoRequests(incrementAsync), strategy }));

    expect(race.code).toBe('ERR_RACE_FOUND');
    expect(race.task).toBeUndefined(); // check failed, no task threw
    expect(race.preemptions).toBe(1);
    const reads = race.trace.filter((step) => step.label === 'getCount');
    expect(reads.map((step) => step.result)).toEqual([0, 0]);
    expect(race.trace.filter((step) => step.label === 'setCount').map((s) => s.args)).toEqual([
      [1],
      [1],
    ]);
  });

  it('draws the failing schedule task by task, with the full assertion and the replay line', async () => {
    const race = await raceOf(explore({ ...twoRequests(incrementAsync), strategy: 'exhaustive' }));

    expect(race.message.replace(/il\d\.\S+(?=')/, '<token>').replace(/=il\d\.\S+/, '=<token>'))
      .toMatchInlineSnapshot(`
        "explore found a schedule in which check() failed (schedule 4 of exhaustive; 6 steps, 1 preemption, shrunk in 14 replays).

         step │ task 0 (incrementAsync)  │ task 1 (incrementAsync)
         ─────┼──────────────────────────┼─────────────────────────
            1 │ start                    │
            2 │ getCount() → 0           │
          » 3 │                          │ start
            4 │                          │ getCount() → 0
            5 │                          │ setCount(1) ✓ returned 1
            6 │ setCount(1) ✓ returned 1 │

        cause: Error: lost update: two increments, count 1

        replay: explore({ ...spec, replay: '<token>' }) or INTERLEAVE_REPLAY=<token>"
      `);
  });

  it('replays the token to the same schedule, 50 times out of 50', async () => {
    const spec = twoRequests(incrementAsync);
    const found = await raceOf(explore({ ...spec, strategy: 'random', seed: 7 }));

    const replays: RaceError[] = [];
    for (let i = 0; i < 50; i++)
      replays.push(await raceOf(explore({ ...spec, replay: found.replay })));

    for (const replay of replays) {
      expect(replay.trace).toEqual(found.trace);
      expect(replay.replay).toBe(found.replay);
    }
  });

  it('shrinks a noisy request (extra checkpoints) to at most 2 task switches', async () => {
    const noisyIncrement = async () => {
      await checkpoint('parse request');
      const count = await asyncDb.getCount();
      await checkpoint('compute');
      const next = count + 1;
      await checkpoint('audit log');
      await asyncDb.setCount(next);
      await checkpoint('respond');
      return next;
    };
    const spec = twoRequests(noisyIncrement);

    for (const seed of [1, 2, 3, 4, 5]) {
      const race = await raceOf(explore({ ...spec, strategy: 'random', seed }));
      expect(switches(race), race.message).toBeLessThanOrEqual(2);
      expect(race.preemptions).toBe(1);
    }
  });
});

describe('the fixes pass every schedule', () => {
  it('the queued lock: exhaustive search finds no lost update, and says the space is exhausted', async () => {
    // A request waiting for the lock is blocked outside the scheduler; a short stepTimeout
    // keeps the search quick (each such wait costs one stepTimeout).
    const report = await explore({
      ...twoRequests(queuedIncrementAsync),
      strategy: 'exhaustive',
      stepTimeout: 10,
    });

    expect(report.exhausted).toBe(true);
    expect(report.schedules).toBeGreaterThan(2);
  });

  it('the atomic increment: exhaustive search finds no lost update', async () => {
    const report = await explore({
      ...twoRequests(atomicIncrementAsync),
      points: () => {
        yieldAt(asyncDb, 'incrementCount');
      },
      strategy: 'exhaustive',
    });

    expect(report).toMatchObject({ exhausted: true, strategy: 'exhaustive' });
  });

  it("the racy version's token no longer replays once the handler takes the lock", async () => {
    const race = await raceOf(explore({ ...twoRequests(incrementAsync), strategy: 'exhaustive' }));
    // The fixed handler, under the name the token was made for (as when fixing it in place).
    const handlers = { incrementAsync: () => queuedIncrementAsync() };

    const replay = explore({
      ...twoRequests(handlers.incrementAsync),
      replay: race.replay,
      stepTimeout: 10,
    });

    await expect(replay).rejects.toMatchObject({ code: 'ERR_REPLAY_DIVERGED' });
    await expect(replay).rejects.toThrow(
      /diverged at step 4: the token runs task 1 there, but task 1 has not reached/,
    );
  });
});
