/**
 * Quiet, not timed: a step that waits only on another parked task ends at once, an in-memory
 * deadlock is reported at once, and whatever in the process could still wake a task (a timer,
 * a file system request, a socket) keeps the timed behaviour. The step timeouts here are a
 * minute long: a wait that was not ended by the quiet check would run into the test timeout.
 */
import { promises as fs } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import timers, { setTimeout as namedSetTimeout } from 'node:timers';
import * as promises from 'node:timers/promises';
import { promisify } from 'node:util';
import { Mutex } from 'async-mutex';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpoint, explore, yieldAt } from 'interleave';
import { deferred, raceOf } from './support/explore.ts';

const MINUTE = 60_000;

/** Taken when this module loads, before any explore replaced the timer functions. */
const sleepTakenEarly = promisify(setTimeout);

/** Two async-mutex locks taken in opposite orders: the classic lock-order deadlock. */
function lockOrder() {
  return {
    setup: () => ({ a: new Mutex(), b: new Mutex() }),
    points: () => {
      yieldAt(Mutex.prototype, 'runExclusive');
    },
    tasks: [
      ({ a, b }: { a: Mutex; b: Mutex }) => a.runExclusive(() => b.runExclusive(() => 'moved')),
      ({ a, b }: { a: Mutex; b: Mutex }) => b.runExclusive(() => a.runExclusive(() => 'refunded')),
    ],
  };
}

describe('in-memory waits end at once', () => {
  it('a lock-order deadlock between two async-mutex locks is ERR_DEADLOCK, with no timeout spent', async () => {
    const race = await raceOf(
      explore({ ...lockOrder(), stepTimeout: MINUTE, settleTimeout: MINUTE }),
    );
    expect(race.code).toBe('ERR_DEADLOCK');
    expect(race.blocked).toEqual([0, 1]);
    expect(race.abandoned).toEqual([0, 1]);
    expect(race.message).toContain('so they were abandoned at once');
    expect(race.reproducible).toBe(true);
    const blocked = race.trace.filter((step) => step.blocked).map((step) => step.task);
    expect(blocked.toSorted()).toEqual([0, 1]);
  });

  it('with default options too, and every strategy finds it', async () => {
    for (const strategy of ['exhaustive', 'pct', 'random', 'portfolio', 'delay-bounded'] as const) {
      const race = await raceOf(explore({ ...lockOrder(), strategy }));
      expect(race.code, strategy).toBe('ERR_DEADLOCK');
    }
  });

  it('a step waiting on a promise only a parked task settles is blocked at once, then rejoins', async () => {
    const report = await explore({
      strategy: 'exhaustive',
      stepTimeout: MINUTE,
      setup: () => deferred<string>(),
      tasks: [
        async (gate) => {
          await checkpoint('before wait');
          return gate.promise;
        },
        async (gate) => {
          await checkpoint('before open');
          gate.resolve('opened');
        },
      ],
      check: (_gate, results) => {
        expect(results).toEqual(['opened', undefined]);
      },
    });
    expect(report.exhausted).toBe(true);
  });
});

describe('what could still wake a task keeps it waiting', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('a pending timer: no deadlock while it can still fire', async () => {
    const report = await explore({
      strategy: 'exhaustive',
      // On the wall clock: a timer the scheduler does not fire itself.
      time: 'real',
      tasks: [
        async () => {
          await checkpoint('a');
          await new Promise((resolve) => setTimeout(resolve, 20));
        },
        async () => {
          await checkpoint('b');
          await new Promise((resolve) => setTimeout(resolve, 20));
        },
      ],
    });
    expect(report.exhausted).toBe(true);
  });

  it('a timer made through a function taken before explore began still counts', async () => {
    // As a library does at load: the census never sees this timer, the process does.
    const report = await explore({
      strategy: 'exhaustive',
      tasks: [
        async () => {
          await checkpoint('a');
          await sleepTakenEarly(60);
        },
        async () => {
          await checkpoint('b');
          await sleepTakenEarly(60);
        },
      ],
    });
    expect(report.exhausted).toBe(true);
  });

  it('a file system request: the step waits for it', async () => {
    const report = await explore({
      strategy: 'exhaustive',
      tasks: [
        async () => {
          await checkpoint('a');
          return (await fs.stat('.')).isDirectory();
        },
        () => checkpoint('b'),
      ],
      check: (_ctx, results) => {
        expect(results[0]).toBe(true);
      },
    });
    expect(report.exhausted).toBe(true);
  });

  it('a socket to a server made before explore: its answer is awaited, not declared impossible', async () => {
    server = createServer((socket) => {
      socket.once('data', (data) => socket.end(data));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const echo = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(address.port, '127.0.0.1', () => socket.write(text));
        socket.setEncoding('utf8');
        let answer = '';
        socket.on('data', (chunk: string) => (answer += chunk));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
      });
    const report = await explore({
      strategy: 'exhaustive',
      tasks: [
        async () => {
          await checkpoint('a');
          return echo('one');
        },
        async () => {
          await checkpoint('b');
          return echo('two');
        },
      ],
      check: (_ctx, results) => {
        expect(results).toEqual(['one', 'two']);
      },
    });
    expect(report.exhausted).toBe(true);
  });
});

describe('the timer functions while explore runs', () => {
  it('are counting wrappers that behave as the real ones, and are the originals again after', async () => {
    const before = [globalThis.setTimeout, timers.setTimeout, namedSetTimeout, promises.setTimeout];
    const seen: unknown[] = [];
    await explore({
      strategy: 'random',
      runs: 1,
      tasks: [
        async () => {
          await checkpoint('a');
          seen.push(globalThis.setTimeout === before[0], namedSetTimeout === before[2]);
          seen.push(await promisify(setTimeout)(1, 'promisified'));
          seen.push(await promises.setTimeout(1, 'from timers/promises'));
          seen.push(await promises.setImmediate('immediate'));
          const cleared = setTimeout(() => seen.push('never'), 1);
          clearTimeout(Number(cleared));
          const interval = setInterval(() => {
            clearInterval(interval);
          }, 1);
          await new Promise((resolve) => setImmediate(resolve));
        },
        () => checkpoint('b'),
      ],
    });
    expect(seen).toEqual([false, false, 'promisified', 'from timers/promises', 'immediate']);
    expect([
      globalThis.setTimeout,
      timers.setTimeout,
      namedSetTimeout,
      promises.setTimeout,
    ]).toEqual(before);
  });

  it("puts back what was there before explore, not its own copies (a test's fake timers)", async () => {
    const before = globalThis.setTimeout;
    const custom = Object.assign((...args: Parameters<typeof setTimeout>) => before(...args), {
      __promisify__: before.__promisify__,
    }) as typeof setTimeout;
    globalThis.setTimeout = custom;
    try {
      await explore({
        strategy: 'random',
        runs: 1,
        tasks: [() => checkpoint('a'), () => checkpoint('b')],
      });
      expect(globalThis.setTimeout).toBe(custom);
    } finally {
      globalThis.setTimeout = before;
    }
  });
});
