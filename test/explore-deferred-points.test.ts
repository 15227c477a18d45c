/**
 * `yieldAt(target, key, { defer: true })`: a synchronous call whose return value the caller
 * does not use (an `emit`) returns at once and is made when the scheduler grants its point.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { checkpoint, explore, yieldAt } from 'interleave';
import { raceOf } from './support/explore.ts';

/** A connection whose listeners expect 'open' before any 'data'. */
class Connection extends EventEmitter {
  open = false;
  received: string[] = [];

  constructor() {
    super();
    this.on('open', () => {
      this.open = true;
    });
    this.on('data', (chunk: string) => {
      if (!this.open) throw new Error(`'data' (${chunk}) before 'open'`);
      this.received.push(chunk);
    });
  }

  /** Library code: the emits happen inside it, where no checkpoint can be put. */
  connect(): void {
    this.emit('open');
  }

  deliver(chunk: string): void {
    this.emit('data', chunk);
  }
}

describe('yieldAt with defer: true', () => {
  it("explores the order of two tasks' emits: 'data' before 'open' is found", async () => {
    let conn = new Connection();
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        setup: () => {
          conn = new Connection();
        },
        points: () => {
          yieldAt(conn, 'emit', { defer: true });
        },
        tasks: [
          () => {
            conn.connect();
          },
          () => {
            conn.deliver('hello');
          },
        ],
      }),
    );
    expect(String(race.cause)).toContain("'data' (hello) before 'open'");
    const emits = race.trace.filter((step) => step.label === 'emit');
    expect(emits.map((step) => [step.task, step.args?.[0]])).toEqual([[1, 'data']]);
    expect(race.reproducible).toBe(true);
  });

  it('a deferred call is part of its task: check sees what its listeners did', async () => {
    let conn = new Connection();
    const report = await explore({
      strategy: 'exhaustive',
      setup: () => {
        conn = new Connection();
        conn.open = true;
      },
      points: () => {
        yieldAt(conn, 'emit', { defer: true });
      },
      // Each task's function returns before its emit has run.
      tasks: [() => conn.deliver('a'), () => conn.deliver('b')],
      check: () => {
        expect([...conn.received].sort()).toEqual(['a', 'b']);
      },
    });
    expect(report.exhausted).toBe(true);
    expect(report.points.byTask).toEqual([1, 1]);
  });

  it('emit returns at once whether the event has listeners, as emit would', async () => {
    const bus = new EventEmitter();
    bus.on('known', () => undefined);
    const answers: boolean[][] = [];
    await explore({
      strategy: 'exhaustive',
      points: () => {
        yieldAt(bus, 'emit', { defer: true });
      },
      tasks: [
        () => {
          answers.push([bus.emit('known'), bus.emit('unknown')]);
        },
        () => checkpoint('other'),
      ],
    });
    expect(answers.length).toBeGreaterThan(0);
    for (const answer of answers) expect(answer).toEqual([true, false]);
  });

  it('with when, only the chosen emissions are points; the others run at once', async () => {
    const bus = new EventEmitter();
    const order: string[] = [];
    bus.on('timeout', () => order.push('timeout'));
    bus.on('tick', () => order.push('tick'));
    const report = await explore({
      strategy: 'exhaustive',
      setup: () => {
        order.length = 0;
      },
      points: () => {
        yieldAt(bus, 'emit', { defer: true, when: (call) => call.args[0] === 'timeout' });
      },
      tasks: [
        () => {
          bus.emit('timeout');
          // Not deferred: it ran before this returned, so it is first in every schedule.
          bus.emit('tick');
          expect(order[0]).toBe('tick');
        },
        () => checkpoint('other'),
      ],
      check: () => {
        expect(order).toEqual(['tick', 'timeout']);
      },
    });
    expect(report.exhausted).toBe(true);
  });

  it("records a deferred method's return value as the step's result", async () => {
    const counter = {
      n: 0,
      bump(by: number): number {
        this.n += by;
        return this.n;
      },
    };
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        setup: () => {
          counter.n = 0;
        },
        points: () => {
          yieldAt(counter, 'bump', { defer: true });
        },
        tasks: [
          () => {
            counter.bump(1);
          },
          () => {
            counter.bump(10);
          },
        ],
        check: () => {
          // Fails in every schedule: the point is to read the trace.
          expect(counter.n).toBe(-1);
        },
      }),
    );
    const bumps = race.trace.filter((step) => step.label === 'bump');
    expect(bumps.map((step) => step.result)).toEqual([1, 11]);
  });

  it('a listener that throws fails the task that emitted, with its error as cause', async () => {
    const bus = new EventEmitter();
    const failure = new RangeError('listener failed');
    bus.on('boom', () => {
      throw failure;
    });
    const race = await raceOf(
      explore({
        points: () => {
          yieldAt(bus, 'emit', { defer: true });
        },
        tasks: [
          () => {
            bus.emit('boom');
          },
          () => checkpoint('other'),
        ],
      }),
    );
    expect(race.cause).toBe(failure);
    expect(race.trace.find((step) => step.label === 'emit')?.error).toBe(failure);
  });

  it('outside explore tasks a deferred method runs at once', () => {
    const bus = new EventEmitter();
    let heard = 0;
    bus.on('x', () => heard++);
    const hook = yieldAt(bus, 'emit', { defer: true });
    expect(bus.emit('x')).toBe(true);
    hook.restore();
    expect(heard).toBe(1);
  });

  it('rejects a defer option that is not a boolean', () => {
    const bus = new EventEmitter();
    expect(() => yieldAt(bus, 'emit', { defer: 1 } as never)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.defer\` of yieldAt() to be a boolean, got a number (1). Pass \`defer: true\` for a synchronous method whose return value the caller does not use (\`emitter.emit\`); leave it out otherwise.]`,
    );
  });
});
