// agentkeepalive #23: the keep-alive timer of an idle pooled socket fires and destroys it,
// but the socket stays in the free pool until its 'close' event; a request made in between
// takes the dead socket and fails with "socket hang up". Reproduced on the real releases:
// 2.0.0 (buggy) and 2.0.2 (fixed: the socket leaves the pool when its timer fires), with
// the 15 s timer under explore's virtual clock: no real waiting.
import { explore, RaceError } from 'interleave';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buggy, fixed, keepAliveSpec, startServer } from './spec.ts';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe('agentkeepalive #23: an idle timer destroys a pooled socket a new request takes', () => {
  test('2.0.0: explore fires the 15 s timer between the two requests, in milliseconds', async () => {
    const started = performance.now();
    const error = await explore(keepAliveSpec(buggy, server.port)).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(RaceError);
    const race = error as RaceError;
    expect(race.cause).toMatchObject({ code: 'ECONNRESET', message: 'socket hang up' });
    const labels = race.trace.map((step) => step.label);
    const fired = labels.indexOf('socket.setTimeout 15000 ms of task 0');
    expect(fired).toBeGreaterThan(labels.indexOf('addRequest'));
    expect(fired).toBeLessThan(labels.lastIndexOf('addRequest'));
    expect(race.reproducible).toBe(true);
    for (let i = 0; i < 20; i++) {
      const again = await explore({
        ...keepAliveSpec(buggy, server.port),
        replay: race.replay,
      }).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(RaceError);
      expect((again as RaceError).trace.map((s) => [s.task, s.label])).toEqual(
        race.trace.map((s) => [s.task, s.label]),
      );
    }
  });

  test.each(['exhaustive', 'pct', 'random', 'delay-bounded'] as const)(
    '2.0.0: found with %s too',
    async (strategy) => {
      await expect(explore(keepAliveSpec(buggy, server.port, strategy))).rejects.toBeInstanceOf(
        RaceError,
      );
    },
  );

  test('2.0.2: every placement of the timer within the bound passes', async () => {
    const report = await explore(keepAliveSpec(fixed, server.port, 'exhaustive'));
    expect(report.exhausted).toBe(true);
    // The timers' lane was interleaved: the timer fired in some schedules.
    expect(report.lanes).toBe(2);
  });

  test("time: 'real' would wait 15 s for the timer: within a test, explore never sees it fire", async () => {
    const report = await explore({
      ...keepAliveSpec(buggy, server.port, 'exhaustive'),
      time: 'real',
    });
    expect(report.exhausted).toBe(true);
    expect(report.lanes).toBe(1);
  });
});
