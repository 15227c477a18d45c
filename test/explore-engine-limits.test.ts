/**
 * The schedule engine at its limits, driven by a scripted chooser: a step that blocks outside
 * the scheduler's control, a deadlock, a livelock, the fairness rule for polling loops, a
 * chooser that throws, and what happens to the tasks after a schedule has failed. Only a test
 * of a timeout lowers that timeout (to 20 ms); nothing here sleeps.
 */
import { describe, expect, it } from 'vitest';
import { checkpoint } from 'interleave';
import type { Chooser } from '../src/explore/engine/run-types.ts';
import { type Asked, gate, runSchedule, scripted, useEngine } from './support/engine.ts';

useEngine();

describe('a step that blocks outside the scheduler', () => {
  it('ends `blocked` after stepTimeout, other tasks run, and it is `parked` once its task parks', async () => {
    const unlock = gate();
    const asked: Asked[] = [];
    const tasks = [
      async () => {
        await unlock.promise; // a lock held by task 1
        await checkpoint('locked');
      },
      async () => {
        unlock.open();
      },
    ];

    const result = await runSchedule(tasks, scripted([0], asked), { stepTimeout: 20 });

    expect(result.failure).toBeUndefined();
    // Task 0 was neither parked nor finished when task 1 was chosen.
    expect(asked).toEqual([
      { enabled: [0, 1], current: -1, step: 0 },
      { enabled: [1], current: 0, step: 1 },
      { enabled: [0], current: 1, step: 2 },
    ]);
    expect(result.trace).toStrictEqual([
      { step: 1, task: 0, label: 'start', preempted: false, end: 'parked', blocked: true },
      {
        ...{ step: 2, task: 1, label: 'start', preempted: false, end: 'finished', blocked: false },
        returned: undefined,
      },
      {
        ...{ step: 3, task: 0, label: 'locked', preempted: false, end: 'finished', blocked: false },
        returned: undefined,
      },
    ]);
  });

  it('stays `blocked` when the schedule ends first', async () => {
    const never = gate();
    const tasks = [
      async () => {
        await never.promise;
      },
      async () => {
        throw new Error('task 1 failed');
      },
    ];

    const result = await runSchedule(tasks, scripted([0]), { stepTimeout: 20, settleTimeout: 20 });
    never.open();

    expect(result.failure).toEqual({ kind: 'task', task: 1, error: new Error('task 1 failed') });
    expect(result.trace.map(({ task, end, blocked }) => ({ task, end, blocked }))).toEqual([
      { task: 0, end: 'blocked', blocked: true },
      { task: 1, end: 'failed', blocked: false },
    ]);
    expect(result.abandoned).toEqual([0]);
  });
});

it('every unfinished task blocked for deadlockTimeout is a deadlock', async () => {
  const never = gate();
  const task = async () => {
    await checkpoint('wait');
    await never.promise;
  };

  const result = await runSchedule([task, task], scripted([0, 1, 0, 1]), {
    stepTimeout: 20,
    deadlockTimeout: 20,
    settleTimeout: 20,
  });
  never.open();

  expect(result.failure).toEqual({ kind: 'deadlock', blocked: [0, 1] });
  expect(result.trace.map(({ task, label, end, blocked }) => [task, label, end, blocked])).toEqual([
    [0, 'start', 'parked', false],
    [1, 'start', 'parked', false],
    [0, 'wait', 'blocked', true],
    [1, 'wait', 'blocked', true],
  ]);
  // Nothing let them go on within settleTimeout: they are abandoned, not "maybe only slow".
  expect(result.abandoned).toEqual([0, 1]);
  expect(result.blockedSettled).toBe(false);
});

it('more than maxSteps steps is a livelock, and the tasks then run to their end unseen', async () => {
  const task = async () => {
    for (let i = 0; i < 20; i++) await checkpoint('spin');
    return 'spun';
  };

  const result = await runSchedule([task, task], scripted([0, 1, 0, 1, 0, 1]), { maxSteps: 6 });

  expect(result.failure).toEqual({
    kind: 'livelock',
    steps: 6,
    // What spun, for the report: each task's share of the last steps and its usual point.
    spun: [
      { task: 0, label: 'spin', steps: 3 },
      { task: 1, label: 'spin', steps: 3 },
    ],
  });
  expect(result.trace).toHaveLength(6);
  expect(result.decisions.map((d) => d.chosen)).toEqual([0, 1, 0, 1, 0, 1]);
  expect(result.results).toEqual(['spun', 'spun']);
  expect(result.trace.at(-1)).toMatchObject({ task: 1, label: 'spin', end: 'parked' });
  expect(result.abandoned).toEqual([]);
});

describe('the fairness rule', () => {
  /** A chooser that would let task 0 spin forever, unless it follows the fair turn. */
  function favouring(asked: (Asked & { fairTurn: number })[], followFairness: boolean): Chooser {
    return {
      choose(enabled, current, step, view) {
        asked.push({ enabled: [...enabled], current, step, fairTurn: view.fairTurn });
        if (followFairness && view.fairTurn >= 0) return view.fairTurn;
        return enabled.includes(0) ? 0 : (enabled[0] as number);
      },
    };
  }

  it('after 64 steps in a row of one polling task, names the task that waited longest', async () => {
    let ready = false;
    const asked: (Asked & { fairTurn: number })[] = [];
    const tasks = [
      async () => {
        while (!ready) await checkpoint('poll');
      },
      async () => {
        ready = true;
      },
    ];

    const result = await runSchedule(tasks, favouring(asked, true));

    expect(result.failure).toBeUndefined();
    expect(result.trace).toHaveLength(66);
    expect(asked[63]?.fairTurn).toBe(-1);
    // Task 0 stays among the choices: the chooser may still let it go on (see below).
    expect(asked[64]).toEqual({ enabled: [0, 1], current: 0, step: 64, fairTurn: 1 });
    // Not a preemption: the switch is the fairness rule's.
    expect(result.decisions[64]).toEqual({
      enabled: [0, 1],
      current: 0,
      chosen: 1,
      preemption: false,
      fairTurn: 1,
    });
    expect(result.trace.slice(63).map(({ task, label, end }) => [task, label, end])).toEqual([
      [0, 'poll', 'parked'],
      [1, 'start', 'finished'],
      [0, 'poll', 'finished'],
    ]);
  });

  it('a chooser may let the task go on past the fairness point; the next one comes 64 steps later', async () => {
    let polls = 0;
    const asked: (Asked & { fairTurn: number })[] = [];
    const tasks = [
      async () => {
        // Finishes on its own after 100 polls: running it to its end first is a schedule.
        while (polls < 100) {
          polls++;
          await checkpoint('poll');
        }
      },
      async () => {
        await checkpoint('other');
      },
    ];

    const result = await runSchedule(tasks, favouring(asked, false));

    expect(result.failure).toBeUndefined();
    const fairnessPoints = result.decisions.flatMap((d, step) => (d.fairTurn >= 0 ? [step] : []));
    expect(fairnessPoints).toEqual([64]);
    expect(result.decisions[64]).toMatchObject({ chosen: 0, preemption: false, fairTurn: 1 });
    expect(result.decisions.map((d) => d.chosen).join('')).toBe(`${'0'.repeat(101)}11`);
  });

  it('two polling tasks cannot starve a third: the turn goes to the one that ran least recently', async () => {
    let ready = false;
    const asked: (Asked & { fairTurn: number })[] = [];
    const poll = async () => {
      while (!ready) await checkpoint('poll');
    };
    // A chooser that prefers task 0, then task 1, and takes the fair turn when told.
    const chooser: Chooser = {
      choose(enabled, current, step, view) {
        asked.push({ enabled: [...enabled], current, step, fairTurn: view.fairTurn });
        if (view.fairTurn >= 0) return view.fairTurn;
        if (enabled.includes(current) && current !== 2) return current;
        return enabled.includes(0) ? 0 : enabled.includes(1) ? 1 : (enabled[0] as number);
      },
    };
    const tasks = [
      poll,
      poll,
      async () => {
        ready = true;
      },
    ];

    const result = await runSchedule(tasks, chooser);

    expect(result.failure).toBeUndefined();
    const turns = asked.filter((a) => a.fairTurn >= 0).map((a) => [a.step, a.current, a.fairTurn]);
    // Task 0 polls 64 times: the turn goes to task 1 (which never ran: 1 and 2 tie, the lower
    // wins); task 1 polls 64 times, the turn goes to task 2, which ran least recently.
    expect(turns).toEqual([
      [64, 0, 1],
      [128, 1, 2],
    ]);
  });
});

describe('a failed schedule', () => {
  it('is an abort when the chooser throws, with the steps taken until then', async () => {
    const broken = new Error('the chooser broke');
    const asked: Asked[] = [];
    const chooser = scripted([1], asked);
    const throwing: Chooser = {
      choose(enabled, current, step, view) {
        if (step === 2) throw broken;
        return chooser.choose(enabled, current, step, view);
      },
    };
    const started: number[] = [];
    const task = (n: number) => async () => {
      started.push(n);
      await checkpoint('a');
    };

    const result = await runSchedule([task(0), task(1), task(2)], throwing);

    expect(result.failure).toEqual({ kind: 'abort', error: broken });
    expect(result.decisions.map((d) => d.chosen)).toEqual([1, 1]);
    expect(result.trace.map(({ task, label, end }) => [task, label, end])).toEqual([
      [1, 'start', 'parked'],
      [1, 'a', 'finished'],
    ]);
    // The tasks that never started stay so; none is abandoned.
    expect(started).toEqual([1]);
    expect(result.abandoned).toEqual([]);
  });

  it('lets started tasks run on unseen, never starts the others, and abandons those that never settle', async () => {
    const boom = new Error('boom');
    const late = new Error('late');
    const never = gate();
    const stuckReached = gate();
    let unstartedRan = false;
    let stuckWentOn = false;
    const tasks = [
      async () => {
        await checkpoint('c');
        throw boom;
      },
      async () => {
        await checkpoint('c');
        await checkpoint('d');
        throw late;
      },
      async () => {
        unstartedRan = true;
      },
      async () => {
        await checkpoint('c');
        await never.promise;
        stuckReached.open();
        await checkpoint('e');
        stuckWentOn = true;
      },
    ];

    const result = await runSchedule(tasks, scripted([3, 1, 0, 0]), { settleTimeout: 20 });

    expect(result.failure).toEqual({ kind: 'task', task: 0, error: boom });
    expect(result.lateErrors).toEqual([{ task: 1, error: late }]);
    expect(result.abandoned).toEqual([3]);
    expect(unstartedRan).toBe(false);
    // What task 1 did after the failure (`d`, its error) is not in the trace.
    expect(result.trace).toStrictEqual([
      { step: 1, task: 3, label: 'start', preempted: false, end: 'parked', blocked: false },
      { step: 2, task: 1, label: 'start', preempted: true, end: 'parked', blocked: false },
      { step: 3, task: 0, label: 'start', preempted: true, end: 'parked', blocked: false },
      {
        ...{ step: 4, task: 0, label: 'c', preempted: false, end: 'failed', blocked: false },
        thrown: boom,
      },
    ]);
    // An abandoned task stops at its next point: it never goes on.
    never.open();
    await stuckReached.promise;
    await new Promise((resolve) => setImmediate(resolve));
    expect(stuckWentOn).toBe(false);
  });
});
