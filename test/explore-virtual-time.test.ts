/**
 * Controlled time (`time: 'virtual'`, the default): the timers a task makes wait on the
 * schedule's clock and fire when the scheduler grants them, as points of the task that made
 * them; their order against the tasks' steps is explored, and no real time passes.
 */
import { readFile } from 'node:fs/promises';
import { type AddressInfo, connect, createServer, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { before, checkpoint, explore, yieldAt } from 'interleave';
import { raceOf } from './support/explore.ts';

/** A cache whose entries expire after `ttl` ms, by a timer per entry. */
class TtlCache {
  readonly #entries = new Map<string, number>();

  set(key: string, value: number, ttl: number): void {
    this.#entries.set(key, value);
    setTimeout(() => this.#entries.delete(key), ttl);
  }

  get(key: string): number | undefined {
    return this.#entries.get(key);
  }
}

/** Task 0 caches a value for 30 s and reads it back after a point: the entry may be gone. */
function ttlSpec() {
  let cache = new TtlCache();
  return {
    strategy: 'exhaustive' as const,
    setup: () => {
      cache = new TtlCache();
    },
    tasks: [
      async () => {
        cache.set('session', 42, 30_000);
        await checkpoint('before read');
        const value = cache.get('session');
        if (value === undefined) throw new Error('session expired between set and read');
        return value;
      },
      () => checkpoint('other'),
    ],
  };
}

function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

describe("time: 'virtual' (the default)", () => {
  it('explores where a 30 s timer fires among the steps, with no real waiting', async () => {
    const started = performance.now();
    const race = await raceOf(explore(ttlSpec()));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(String(race.cause)).toContain('session expired');
    // The timer fires in the timers' lane (after the tasks), between task 0's set and read.
    const fired = race.trace.findIndex((step) => step.label === 'setTimeout 30000 ms of task 0');
    const read = race.trace.findIndex((step) => step.label === 'before read');
    expect(race.trace[fired]?.task).toBe(2);
    expect(fired).toBeGreaterThan(0);
    expect(fired).toBeLessThan(read);
    expect(race.message).toContain('timers');
    expect(race.message).toContain('setTimeout 30000 ms of task 0');
    expect(race.reproducible).toBe(true);
  });

  it.each(['portfolio', 'pct', 'random', 'delay-bounded'] as const)(
    'every strategy interleaves the timers: %s finds the expiry',
    async (strategy) => {
      const race = await raceOf(explore({ ...ttlSpec(), strategy }));
      expect(String(race.cause)).toContain('session expired');
    },
  );

  it('in the default order time passes only when no task can run: the expiry costs a preemption', async () => {
    const race = await raceOf(explore(ttlSpec()));
    expect(race.message).toMatch(/1 preemption/);
    const fired = race.trace.find((step) => step.label.startsWith('setTimeout'));
    expect(fired?.preempted).toBe(true);
  });

  it("replays a timer's firing from the token", async () => {
    const race = await raceOf(explore(ttlSpec()));
    const again = await raceOf(explore({ ...ttlSpec(), replay: race.replay }));
    expect(again.trace.map((s) => [s.task, s.label])).toEqual(
      race.trace.map((s) => [s.task, s.label]),
    );
  });

  it("time: 'real' leaves the timer on the wall clock: it never fires within the test", async () => {
    const report = await explore({ ...ttlSpec(), time: 'real' });
    expect(report.exhausted).toBe(true);
  });

  it('timers fire in due-time order, equal due times in the order they were made', async () => {
    const orders: string[][] = [];
    await explore({
      strategy: 'exhaustive',
      tasks: [
        () =>
          new Promise<void>((resolve) => {
            const order: string[] = [];
            orders.push(order);
            setTimeout(() => {
              order.push('20 ms');
              resolve();
            }, 20);
            setTimeout(() => order.push('10 ms, first'), 10);
            setTimeout(() => order.push('10 ms, second'), 10);
          }),
        () => checkpoint('other'),
      ],
    });
    expect(orders.length).toBeGreaterThan(1);
    for (const order of orders) expect(order).toEqual(['10 ms, first', '10 ms, second', '20 ms']);
  });

  it('an interval fires again and again until cleared; a minute of waiting costs nothing', async () => {
    const started = performance.now();
    const report = await explore({
      strategy: 'exhaustive',
      tasks: [
        () =>
          new Promise<number>((resolve) => {
            let ticks = 0;
            const interval = setInterval(() => {
              ticks++;
              if (ticks === 3) {
                clearInterval(interval);
                resolve(ticks);
              }
            }, 20_000);
          }),
        async () => {
          await sleep(60_000);
          return 'slept';
        },
      ],
      check: (_ctx, results) => {
        expect(results).toEqual([3, 'slept']);
      },
    });
    expect(report.exhausted).toBe(true);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('time does not jump past a task waiting on real I/O', async () => {
    // start() is a synchronous call that kicks off real I/O; deferred, its step ends when it
    // returns, with the read still under way.
    let reading = false;
    const lib = {
      start(done: () => void): void {
        reading = true;
        void readFile(fileURLToPath(import.meta.url)).then(() => {
          reading = false;
          done();
        });
      },
    };
    const report = await explore({
      strategy: 'exhaustive',
      points: () => {
        yieldAt(lib, 'start', { defer: true });
      },
      tasks: [
        () =>
          new Promise<string>((resolve) => {
            let firedDuringRead = false;
            setTimeout(() => {
              firedDuringRead = reading;
            }, 1000);
            lib.start(() => {
              resolve(firedDuringRead ? 'the timer fired during the read' : 'not during the read');
            });
          }),
        () => checkpoint('other'),
      ],
      check: (_ctx, results) => {
        expect(results[0]).toBe('not during the read');
      },
    });
    expect(report.exhausted).toBe(true);
  });

  it('a task blocked on I/O that only its timer can end: time passes after the deadlock wait', async () => {
    // A server that accepts and never answers: only the client's own timeout ends the wait.
    const sockets = new Set<Socket>();
    const server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const report = await explore({
        strategy: 'exhaustive',
        stepTimeout: 20,
        tasks: [
          () =>
            new Promise<string>((resolve) => {
              const socket = connect(port, '127.0.0.1');
              socket.on('error', () => undefined);
              setTimeout(() => {
                socket.destroy();
                resolve('gave up after 30 s');
              }, 30_000);
            }),
          () => checkpoint('other'),
        ],
        check: (_ctx, results) => {
          expect(results[0]).toBe('gave up after 30 s');
        },
      });
      expect(report.exhausted).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("a socket's idle timeout (socket.setTimeout) in a task is on the virtual clock too", async () => {
    const accepted = new Set<Socket>();
    const server = createServer((socket) => accepted.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const original = Socket.prototype.setTimeout;
    try {
      const started = performance.now();
      const report = await explore({
        strategy: 'exhaustive',
        // An idle socket counts as I/O that may still bring something: time passes after
        // one stepTimeout without a move.
        stepTimeout: 10,
        tasks: [
          () =>
            new Promise<string>((resolve) => {
              const socket = connect(port, '127.0.0.1', () => {
                socket.setTimeout(60_000, () => {
                  socket.destroy();
                  resolve('idle for a minute');
                });
              });
            }),
          () => checkpoint('other'),
        ],
        check: (_ctx, results) => {
          expect(results[0]).toBe('idle for a minute');
        },
      });
      expect(report.lanes).toBe(3);
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(Socket.prototype.setTimeout).toBe(original);
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('an unrelated open server does not change the verdict', async () => {
    const spec = () => {
      let x = 0;
      return {
        strategy: 'exhaustive' as const,
        setup: () => {
          x = 0;
        },
        tasks: [
          async () => {
            await sleep(10);
            x = 1;
          },
          async () => {
            await checkpoint('read');
            if (x === 1) throw new Error('the timer fired before the read');
          },
        ],
      };
    };
    const alone = await raceOf(explore(spec()));
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const beside = await raceOf(explore(spec()));
      expect(beside.replay).toBe(alone.replay);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a timer callback that throws after its task returned still fails the schedule', async () => {
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        tasks: [
          () => {
            setTimeout(() => {
              throw new RangeError('late timer');
            }, 10);
          },
          async () => {
            await checkpoint('a');
            await checkpoint('b');
          },
        ],
      }),
    );
    expect(race.cause).toBeInstanceOf(RangeError);
    expect(race.task).toBe(0);
  });

  it('after a failure, a task sleeping on a virtual timer wakes on the real clock and settles', async () => {
    let woke = false;
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        settleTimeout: 5000,
        tasks: [
          async () => {
            await sleep(5);
            woke = true;
          },
          async () => {
            await checkpoint('a');
            throw new Error('task 1 fails first');
          },
        ],
      }),
    );
    expect(String(race.cause)).toContain('task 1 fails first');
    // Not abandoned: its timer went on the real clock when the schedule let the tasks go.
    expect(race.abandoned).toEqual([]);
    expect(woke).toBe(true);
  });

  it("a pooled socket keeps one 'close' listener across schedules, and a real idle timer after", async () => {
    const accepted = new Set<Socket>();
    const server = createServer((socket) => accepted.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const pooled = connect(port, '127.0.0.1');
    await new Promise((resolve) => pooled.once('connect', resolve));
    const closeListeners = pooled.listenerCount('close');
    try {
      await explore({
        strategy: 'exhaustive',
        tasks: [
          async () => {
            pooled.setTimeout(60_000);
            await checkpoint('used');
          },
          () => checkpoint('other'),
        ],
      });
      expect(pooled.listenerCount('close')).toBeLessThanOrEqual(closeListeners + 1);
      const slot = Object.getOwnPropertySymbols(pooled).find(
        (key) => key.description === 'timeout',
      );
      const idle = (pooled as unknown as Record<symbol, unknown>)[slot as symbol];
      expect((idle as object | null)?.constructor.name).toBe('Timeout');
      expect(pooled.timeout).toBe(60_000);
    } finally {
      pooled.destroy();
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("an unref'd interval does not turn a deadlock into a livelock", async () => {
    const error = await explore({
      strategy: 'exhaustive',
      tasks: [
        async () => {
          setInterval(() => undefined, 1000).unref();
          await new Promise(() => undefined);
        },
        () => new Promise(() => undefined),
      ],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_DEADLOCK' });
  });

  it('pending timers are dropped when the schedule ends: none is left on the real clock', async () => {
    const before = activeTimeouts();
    let fired = 0;
    await explore({
      strategy: 'exhaustive',
      tasks: [
        async () => {
          setTimeout(() => fired++, 10_000);
          setInterval(() => fired++, 5_000);
          await checkpoint('a');
        },
        () => checkpoint('b'),
      ],
    });
    expect(activeTimeouts()).toBe(before);
    // Some schedules fired them (they are points); none fires after explore returned.
    const afterExplore = fired;
    await new Promise((resolve) => setImmediate(resolve));
    expect(fired).toBe(afterExplore);
  });

  it("the timer object acts as Node's: this, ref/unref, refresh, and clearTimeout by id", async () => {
    const seen: unknown[] = [];
    await explore({
      strategy: 'random',
      runs: 1,
      tasks: [
        () =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(function (this: unknown) {
              seen.push(this === timer);
              resolve();
            }, 100);
            seen.push(timer.unref() === timer, timer.hasRef(), timer.ref().hasRef());
            timer.refresh();
            const cleared = setTimeout(() => seen.push('never'), 1);
            clearTimeout(Number(cleared));
          }),
        () => checkpoint('other'),
      ],
    });
    expect(seen).toEqual([true, false, true, true]);
  });

  it('util.promisify(setTimeout) and node:timers/promises wait on the virtual clock', async () => {
    const report = await explore({
      strategy: 'exhaustive',
      tasks: [
        async () => promisify(setTimeout)(45_000, 'promisified'),
        async () => sleep(45_000, 'timers/promises'),
      ],
      check: (_ctx, results) => {
        expect(results).toEqual(['promisified', 'timers/promises']);
      },
    });
    // The tasks' own points: none; the two timers fired in the timers' lane.
    expect(report.points.byTask).toEqual([0, 0]);
    expect(report.lanes).toBe(3);
  });

  it("an aborted timers/promises setTimeout rejects with an AbortError, as Node's", async () => {
    const errors: unknown[] = [];
    await explore({
      strategy: 'random',
      runs: 1,
      tasks: [
        async () => {
          const controller = new AbortController();
          const waiting = sleep(10_000, 'x', { signal: controller.signal }).catch(
            (error: unknown) => errors.push(error),
          );
          controller.abort(new Error('stop'));
          await waiting;
          await sleep(1, 'y', { signal: controller.signal }).catch((error: unknown) =>
            errors.push(error),
          );
        },
        () => checkpoint('other'),
      ],
    });
    expect(errors).toHaveLength(2);
    for (const error of errors)
      expect(error).toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
  });

  it('a timer callback that throws fails the task that made it', async () => {
    const race = await raceOf(
      explore({
        tasks: [
          () =>
            new Promise(() => {
              setTimeout(() => {
                throw new RangeError('from a timer');
              }, 1000);
            }),
          () => checkpoint('other'),
        ],
      }),
    );
    expect(race.cause).toBeInstanceOf(RangeError);
    expect(race.task).toBe(0);
  });

  it("interleave's own timeouts in a task (a before() hook's bound) stay on the real clock", async () => {
    const db = {
      async query(sql: string) {
        return sql.length;
      },
    };
    // A hook that never settles: its 20 ms bound fails the call, on the wall clock.
    const hook = before(db, 'query', () => new Promise(() => undefined), { timeout: 20 });
    try {
      const race = await raceOf(
        explore({ tasks: [async () => db.query('a'), () => checkpoint('b')] }),
      );
      expect(race.cause).toMatchObject({ code: 'ERR_HOOK_TIMEOUT' });
      // Had the bound been a virtual timer, the scheduler would have fired it in the timers' lane.
      expect(race.trace.some((step) => step.label.startsWith('setTimeout'))).toBe(false);
    } finally {
      hook.restore();
    }
  });

  it('setup and check keep the real clock: a timer there fires as usual', async () => {
    const report = await explore({
      strategy: 'exhaustive',
      setup: async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
      },
      tasks: [() => checkpoint('a'), () => checkpoint('b')],
      check: async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
      },
    });
    expect(report.exhausted).toBe(true);
  });

  it("rejects a time that is neither 'virtual' nor 'real'", async () => {
    await expect(
      explore({ tasks: [() => checkpoint('a')], time: 'wall' as never }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`time\` of explore() to be one of 'virtual', 'real' (whose clock the tasks' timers run on), got a string ("wall"). Leave it out for 'virtual' (timers fire when the scheduler grants them); 'real' runs them on the wall clock.]`,
    );
  });
});
