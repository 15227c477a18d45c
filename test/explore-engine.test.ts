/**
 * The schedule engine (src/explore/engine/) driven directly by a scripted chooser, as
 * fast-check tests its scheduler: the exact decisions and trace rows of a scripted order, what
 * the chooser is shown, and the trace's records (one writer, frozen). Its limits (timeouts,
 * deadlock, livelock, fairness, failures) are in explore-engine-limits.test.ts, its trace
 * recorder alone in explore-trace-recorder.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { checkpoint, explore, yieldAt } from 'interleave';
import type { PendingPoint, TaskState } from '../src/explore/engine/run-types.ts';
import { type Asked, gate, runSchedule, scripted, useEngine } from './support/engine.ts';
import { raceOf } from './support/explore.ts';

useEngine();

it("the chooser's view counts the schedule's tasks, and shows each one's state", async () => {
  const seen: { step: number; taskCount: number; states: TaskState[] }[] = [];
  const task = async () => {
    await checkpoint('middle');
  };
  const chooser = scripted([], [], (view, step) => {
    const states: TaskState[] = [];
    for (let t = 0; t < view.taskCount; t++) states.push(view.state(t));
    seen.push({ step, taskCount: view.taskCount, states });
  });

  const result = await runSchedule([task, task, task], chooser);

  expect(result.failure).toBeUndefined();
  expect(seen).toEqual([
    { step: 0, taskCount: 3, states: ['parked', 'parked', 'parked'] },
    { step: 1, taskCount: 3, states: ['parked', 'parked', 'parked'] },
    { step: 2, taskCount: 3, states: ['finished', 'parked', 'parked'] },
    { step: 3, taskCount: 3, states: ['finished', 'parked', 'parked'] },
    { step: 4, taskCount: 3, states: ['finished', 'finished', 'parked'] },
    { step: 5, taskCount: 3, states: ['finished', 'finished', 'parked'] },
  ]);
});

describe('a scripted order', () => {
  const tasks = [0, 1].map((n) => async () => {
    await checkpoint('a');
    return `done ${n}`;
  });

  it('is asked for, decided and recorded step by step', async () => {
    const asked: Asked[] = [];

    const result = await runSchedule(tasks, scripted([0, 1, 1, 0], asked));

    expect(result.failure).toBeUndefined();
    expect(asked).toEqual([
      { enabled: [0, 1], current: -1, step: 0 },
      { enabled: [0, 1], current: 0, step: 1 },
      { enabled: [0, 1], current: 1, step: 2 },
      { enabled: [0], current: 1, step: 3 },
    ]);
    expect(result.decisions).toEqual([
      { enabled: [0, 1], current: -1, chosen: 0, preemption: false, fairTurn: -1 },
      // Task 0 could go on past `a`: switching to task 1 is a preemption.
      { enabled: [0, 1], current: 0, chosen: 1, preemption: true, fairTurn: -1 },
      { enabled: [0, 1], current: 1, chosen: 1, preemption: false, fairTurn: -1 },
      // Task 1 has finished: going back to task 0 is not one.
      { enabled: [0], current: 1, chosen: 0, preemption: false, fairTurn: -1 },
    ]);
    expect(result.trace).toStrictEqual([
      { step: 1, task: 0, label: 'start', preempted: false, end: 'parked', blocked: false },
      { step: 2, task: 1, label: 'start', preempted: true, end: 'parked', blocked: false },
      {
        ...{ step: 3, task: 1, label: 'a', preempted: false, end: 'finished', blocked: false },
        returned: 'done 1',
      },
      {
        ...{ step: 4, task: 0, label: 'a', preempted: false, end: 'finished', blocked: false },
        returned: 'done 0',
      },
    ]);
    expect(result.results).toEqual(['done 0', 'done 1']);
  });

  it('gives the same schedule when run again', async () => {
    const first = await runSchedule(tasks, scripted([1, 0, 0]));
    const second = await runSchedule(tasks, scripted([1, 0, 0]));

    expect(second.decisions).toEqual(first.decisions);
    expect(second.trace).toEqual(first.trace);
    expect(first.decisions.map((d) => d.chosen)).toEqual([1, 0, 0, 1]);
  });
});

describe("the chooser's view of pending points", () => {
  it('shows the label, arguments, object and method of a yieldAt call a task is parked at', async () => {
    const store = {
      async get(key: string) {
        return key.length;
      },
    };
    using _point = yieldAt(store, 'get');
    const pending: (PendingPoint | undefined)[][] = [];
    const labels: (string | undefined)[][] = [];
    const chooser = scripted([], [], (view) => {
      const tasks = Array.from({ length: view.taskCount }, (_, t) => t);
      pending.push(tasks.map((t) => view.pendingPoint(t)));
      labels.push(tasks.map((t) => view.pointLabel(t)));
    });

    await runSchedule(
      [
        async () => store.get('key'),
        async () => {
          await checkpoint('c');
        },
      ],
      chooser,
    );

    expect(pending).toHaveLength(4);
    expect(pending[0]).toStrictEqual([{ label: 'start' }, { label: 'start' }]);
    const [call, start] = pending[1] ?? [];
    expect(call).toStrictEqual({ label: 'get', args: ['key'], target: store, key: 'get' });
    expect(call?.target).toBe(store);
    expect(start).toStrictEqual({ label: 'start' });
    // Task 0 finished: it is parked nowhere.
    expect(pending[2]).toStrictEqual([undefined, { label: 'start' }]);
    expect(pending[3]).toStrictEqual([undefined, { label: 'c' }]);
    expect(labels).toEqual([
      ['start', 'start'],
      ['get', 'start'],
      [undefined, 'start'],
      [undefined, 'c'],
    ]);
  });

  it('shows a task as parked while a branch of it waits at a point, though its function has returned', async () => {
    const asked: Asked[] = [];
    const seen: { state: TaskState; at: PendingPoint | undefined }[] = [];
    const chooser = scripted([0, 1], asked, (view) => {
      seen.push({ state: view.state(0), at: view.pendingPoint(0) });
    });

    const result = await runSchedule(
      [
        async () => {
          void checkpoint('detached');
          return 'returned';
        },
        async () => {
          // Its start step outlasts task 0's function, which returns meanwhile.
          await Promise.resolve();
          await checkpoint('t1');
        },
      ],
      chooser,
    );

    expect(asked.map((a) => a.enabled)).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
    expect(seen).toEqual([
      { state: 'parked', at: { label: 'start' } },
      { state: 'parked', at: { label: 'detached' } },
      { state: 'parked', at: { label: 'detached' } },
    ]);
    expect(result.trace.map((s) => [s.task, s.label, s.end])).toEqual([
      [0, 'start', 'finished'],
      [1, 'start', 'parked'],
      [1, 't1', 'finished'],
    ]);
  });
});

describe('the trace', () => {
  it('holds what a yieldAt call returned, or threw, in the record of its step', async () => {
    const store = {
      async get(key: string) {
        return `value of ${key}`;
      },
      async fail() {
        throw new Error('no such key');
      },
    };
    using _get = yieldAt(store, 'get');
    using _fail = yieldAt(store, 'fail');

    const result = await runSchedule(
      [
        async () => {
          const value = await store.get('k');
          await store.fail().catch(() => undefined);
          return value;
        },
      ],
      scripted([]),
    );

    expect(result.trace).toStrictEqual([
      { step: 1, task: 0, label: 'start', preempted: false, end: 'parked', blocked: false },
      {
        ...{ step: 2, task: 0, label: 'get', preempted: false, end: 'parked', blocked: false },
        ...{ args: ['k'], result: 'value of k' },
      },
      {
        ...{ step: 3, task: 0, label: 'fail', preempted: false, end: 'finished', blocked: false },
        ...{ args: [], error: new Error('no such key'), returned: 'value of k' },
      },
    ]);
  });

  it('and its decisions are frozen once the schedule has finished', async () => {
    const task = async () => {
      await checkpoint('a');
    };

    const result = await runSchedule([task, task], scripted([0, 1]));

    expect(result.failure).toBeUndefined();
    expect(result.decisions).toHaveLength(4);
    expect(Object.isFrozen(result.decisions)).toBe(true);
  });

  it('and, when the schedule failed, its records and their list are frozen (published)', async () => {
    const task = async () => {
      await checkpoint('a');
      throw new Error('boom');
    };

    const result = await runSchedule([task, task], scripted([0, 1]));

    expect(result.failure).toMatchObject({ kind: 'task', task: 1 });
    expect(Object.isFrozen(result.trace)).toBe(true);
    expect(result.trace.every((step) => Object.isFrozen(step))).toBe(true);
    expect(() => {
      (result.trace[0] as { end: string }).end = 'parked';
    }).toThrow(TypeError);
  });

  it('drops what a yieldAt call answers after the schedule has finished', async () => {
    const answer = gate<string>();
    const store = {
      slow: () => answer.promise,
    };
    using _slow = yieldAt(store, 'slow');
    let call: Promise<string> | undefined;

    const result = await runSchedule(
      [
        async () => {
          // Not awaited: the task finishes while the call is still waiting for its answer.
          call = store.slow();
        },
      ],
      scripted([]),
    );
    answer.open('too late');

    await expect(call).resolves.toBe('too late');
    const slow = result.trace[1];
    // The task's function returned during this step (of its detached call), and no answer came.
    expect(slow).toStrictEqual({
      ...{ step: 2, task: 0, label: 'slow', preempted: false, end: 'finished', blocked: false },
      ...{ args: [], returned: undefined },
    });
  });
});

describe("a RaceError's trace", () => {
  const counter = () => {
    const store = {
      n: 0,
      get: async () => store.n,
      set: async (n: number) => {
        store.n = n;
      },
    };
    return store;
  };
  const increment = async (store: ReturnType<typeof counter>) => {
    await store.set((await store.get()) + 1);
  };
  const frozen = (trace: readonly object[]) =>
    Object.isFrozen(trace) && trace.every((step) => Object.isFrozen(step));

  it('cannot be changed when `check` failed (the schedule itself passed)', async () => {
    const error = await raceOf(
      explore({
        setup: counter,
        points: (store) => {
          yieldAt(store, 'get');
          yieldAt(store, 'set');
        },
        tasks: [increment, increment],
        check: (store) => {
          if (store.n !== 2) throw new Error(`lost update: ${store.n}`);
        },
      }),
    );

    expect(error.trace.some((step) => 'result' in step)).toBe(true);
    expect(frozen(error.trace)).toBe(true);
  });

  it('cannot be changed when a task threw', async () => {
    const error = await raceOf(
      explore({
        tasks: [
          async () => {
            await checkpoint('before');
            throw new Error('boom');
          },
        ],
      }),
    );

    expect(error.trace.at(-1)).toMatchObject({ end: 'failed' });
    expect(frozen(error.trace)).toBe(true);
  });
});
