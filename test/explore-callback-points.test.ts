/**
 * `yieldAt(target, key, { callback: true })`: a callback-last API's call and its callback's
 * invocation are two scheduling points; the callback's arguments are the call's result.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpoint, explore, InterleaveError, yieldAt } from 'interleave';
import { raceOf } from './support/explore.ts';

type Callback<T> = (err: Error | null, value?: T) => void;

/** A key-value store with a callback API that answers on a later turn, as I/O would. */
function callbackStore() {
  const data = new Map<string, number>();
  return {
    data,
    get(key: string, cb: Callback<number>) {
      setImmediate(() => {
        cb(null, data.get(key) ?? 0);
      });
    },
    set(key: string, value: number, cb: Callback<void>) {
      setImmediate(() => {
        data.set(key, value);
        cb(null);
      });
    },
    /** The fix: read and write in one call. */
    increment(key: string, cb: Callback<number>) {
      setImmediate(() => {
        const next = (data.get(key) ?? 0) + 1;
        data.set(key, next);
        cb(null, next);
      });
    },
  };
}

type Store = ReturnType<typeof callbackStore>;

function promised<T>(call: (cb: Callback<T>) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    call((err, value) => {
      if (err) reject(err);
      else resolve(value);
    });
  });
}

function incrementSpec(atomic: boolean) {
  let store: Store = callbackStore();
  const increment = async () => {
    if (atomic) {
      await promised<number>((cb) => {
        store.increment('n', cb);
      });
      return;
    }
    const n = (await promised<number>((cb) => {
      store.get('n', cb);
    })) as number;
    await promised<void>((cb) => {
      store.set('n', n + 1, cb);
    });
  };
  return {
    strategy: 'exhaustive' as const,
    setup: () => {
      store = callbackStore();
    },
    points: () => {
      yieldAt(store, 'get', { callback: true });
      yieldAt(store, 'set', { callback: true });
      yieldAt(store, 'increment', { callback: true });
    },
    tasks: [increment, increment],
    check: () => {
      expect(store.data.get('n')).toBe(2);
    },
  };
}

describe('yieldAt with callback: true', () => {
  it('finds a lost update made of callback calls, and shows each callback as a step', async () => {
    const race = await raceOf(explore(incrementSpec(false)));
    const labels = race.trace.map((step) => `${step.task}:${step.label}`);
    expect(labels).toContain('0:get callback');
    expect(labels).toContain('1:get callback');
    // The callback's arguments are the call's result; the callback is not among the args.
    const reads = race.trace.filter((step) => step.label === 'get');
    expect(reads.map((step) => step.args)).toEqual([['n'], ['n']]);
    expect(reads.map((step) => step.result)).toEqual([
      [null, 0],
      [null, 0],
    ]);
    expect(race.message).toContain('get callback');
    expect(race.reproducible).toBe(true);
  });

  it('passes, exhausted, once the read and the write are one call', async () => {
    const report = await explore(incrementSpec(true));
    expect(report.exhausted).toBe(true);
    // Each task: its call and its callback.
    expect(report.points.byTask).toEqual([2, 2]);
  });

  it('replays a callback schedule from its token', async () => {
    const race = await raceOf(explore(incrementSpec(false)));
    const again = await raceOf(explore({ ...incrementSpec(false), replay: race.replay }));
    expect(again.trace.map((s) => [s.task, s.label])).toEqual(
      race.trace.map((s) => [s.task, s.label]),
    );
  });

  it('on real fs callbacks: the callback runs in its task, after the real I/O', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'interleave-cb-'));
    try {
      const file = path.join(dir, 'seen');
      const report = await explore({
        strategy: 'exhaustive',
        setup: () => {
          fs.rmSync(file, { force: true });
        },
        points: () => {
          yieldAt(fs, 'stat', { callback: true });
        },
        tasks: [0, 1].map(
          () => () =>
            new Promise<void>((resolve) => {
              fs.stat(dir, (err, stats) => {
                expect(err).toBeNull();
                expect(stats.isDirectory()).toBe(true);
                // A point inside the callback belongs to the task that made the call.
                void checkpoint('in callback').then(resolve);
              });
            }),
        ),
      });
      expect(report.exhausted).toBe(true);
      expect(report.points.outsideTasks).toBe(0);
      expect(report.points.byTask).toEqual([3, 3]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the task for a callback that a worker made before the tasks calls back', async () => {
    // The library hands work to a worker loop started before explore: its callbacks run in
    // the worker's async context, not the tasks'. Each callback is still its caller's step.
    const jobs: (() => void)[] = [];
    let wake: () => void = () => undefined;
    const state = { stopped: false };
    const worker = (async () => {
      while (!state.stopped) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        for (const job of jobs.splice(0)) job();
      }
    })();
    const lib = {
      fetch(key: string, cb: Callback<string>) {
        jobs.push(() => {
          cb(null, key.toUpperCase());
        });
        wake();
      },
    };
    try {
      const report = await explore({
        strategy: 'exhaustive',
        points: () => {
          yieldAt(lib, 'fetch', { callback: true });
        },
        tasks: ['a', 'b'].map(
          (key) => () =>
            new Promise<void>((resolve) => {
              lib.fetch(key, (_err, value) => {
                // Reached in the callback itself: it must know its task.
                void checkpoint(`got ${String(value)}`).then(resolve);
              });
            }),
        ),
      });
      expect(report.points.outsideTasks).toBe(0);
      expect(report.points.byTask).toEqual([3, 3]);
    } finally {
      state.stopped = true;
      wake();
      await worker;
    }
  });

  it('a call without a function last is deferred alone', async () => {
    const log: string[] = [];
    const sink = {
      write(line: string, cb?: () => void) {
        log.push(line);
        cb?.();
        return true;
      },
    };
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        setup: () => {
          log.length = 0;
        },
        points: () => {
          yieldAt(sink, 'write', { callback: true });
        },
        tasks: [
          () => {
            sink.write('header');
          },
          () => {
            sink.write('body');
          },
        ],
        check: () => {
          expect(log).toEqual(['header', 'body']);
        },
      }),
    );
    expect(race.trace.some((step) => step.label.endsWith('callback'))).toBe(false);
    expect(race.trace.filter((step) => step.label === 'write').map((s) => s.result)).toEqual([
      true,
      true,
    ]);
  });

  it('a callback called synchronously by the library is a point too', async () => {
    const lib = {
      now(cb: Callback<number>) {
        cb(null, 42);
      },
    };
    const report = await explore({
      strategy: 'exhaustive',
      points: () => {
        yieldAt(lib, 'now', { callback: true });
      },
      tasks: [0, 1].map(() => () => promised<number>((cb) => lib.now(cb))),
    });
    expect(report.points.byTask).toEqual([2, 2]);
  });

  it('a call that throws when the scheduler makes it fails its task, with the error as cause', async () => {
    const lib = {
      open(name: string, cb: Callback<void>) {
        if (name === 'bad') throw new TypeError('bad name');
        setImmediate(() => {
          cb(null);
        });
      },
    };
    const race = await raceOf(
      explore({
        points: () => {
          yieldAt(lib, 'open', { callback: true });
        },
        tasks: [
          () => promised<void>((cb) => lib.open('good', cb)),
          () => promised<void>((cb) => lib.open('bad', cb)),
        ],
      }),
    );
    expect(race.cause).toBeInstanceOf(TypeError);
    expect(race.trace.find((step) => step.task === 1 && step.label === 'open')?.error).toBe(
      race.cause,
    );
  });

  it('a callback that is never called leaves its task waiting: a deadlock, reported at once', async () => {
    const lib = {
      lose(cb: Callback<void>) {
        // A library bug: the callback is dropped.
        return cb.length;
      },
    };
    const started = performance.now();
    const error = await explore({
      stepTimeout: 60_000,
      points: () => {
        yieldAt(lib, 'lose', { callback: true });
      },
      tasks: [() => promised<void>((cb) => lib.lose(cb)), () => checkpoint('other')],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_DEADLOCK' });
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('outside explore tasks the call passes straight through', () => {
    const lib = {
      now(cb: Callback<number>) {
        cb(null, 7);
      },
    };
    const hook = yieldAt(lib, 'now', { callback: true });
    let got: number | undefined;
    lib.now((_err, value) => {
      got = value;
    });
    hook.restore();
    expect(got).toBe(7);
  });

  it('rejects a callback option that is not a boolean', () => {
    const lib = {
      now(cb: () => void) {
        cb();
      },
    };
    expect(() =>
      yieldAt(lib, 'now', { callback: 'yes' } as never),
    ).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.callback\` of yieldAt() to be a boolean, got a string ("yes"). Pass \`callback: true\` for a method that takes a callback last (\`fs.stat(path, cb)\`); leave it out otherwise.]`,
    );
  });

  it('without callback: true, a callback API is refused with advice, and no unhandled rejection', async () => {
    const lib = {
      now(cb: Callback<number>) {
        setImmediate(() => {
          cb(null, 1);
        });
      },
    };
    const error = await explore({
      points: () => {
        yieldAt(lib, 'now');
      },
      tasks: [() => promised<number>((cb) => lib.now(cb))],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterleaveError);
    expect((error as InterleaveError).code).toBe('ERR_ASYNC_HOOK_ON_SYNC_FUNCTION');
    expect((error as Error).message).toContain('{ callback: true }');
  });
});
