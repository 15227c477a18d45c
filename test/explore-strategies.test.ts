/**
 * The strategies (src/explore/strategies/) driven with synthetic schedules, without the engine:
 * a model program of tasks that each take a fixed number of steps and are always ready. Each
 * strategy's schedules are asserted exactly, and against a brute-force enumeration.
 */
import { describe, expect, it } from 'vitest';
import type {
  Chooser,
  Decision,
  RunResult,
  SchedulerView,
} from '../src/explore/engine/run-types.ts';
import { choiceCost } from '../src/explore/engine/run-types.ts';
import {
  DelayBoundedStrategy,
  delays,
  roundRobin,
} from '../src/explore/strategies/delay-bounded.ts';
import { ExhaustiveStrategy } from '../src/explore/strategies/exhaustive.ts';
import { PctStrategy } from '../src/explore/strategies/pct.ts';
import { PortfolioStrategy } from '../src/explore/strategies/portfolio.ts';
import { RandomStrategy } from '../src/explore/strategies/random.ts';
import { createStrategy, STRATEGY_NAMES } from '../src/explore/strategies/registry.ts';
import { ReplayStrategy } from '../src/explore/strategies/replay.ts';
import type { Strategy, StrategyOptions } from '../src/explore/strategies/strategy.ts';

/** Runs `chooser` over tasks taking `steps[t]` steps each: the synthetic result of a schedule. */
function simulate(chooser: Chooser, steps: readonly number[]): RunResult {
  const left = [...steps];
  const decisions: Decision[] = [];
  let current = -1;
  const view = {
    taskCount: steps.length,
    state: (task: number) => ((left[task] as number) > 0 ? 'parked' : 'finished'),
    pointLabel: (task: number) => ((left[task] as number) > 0 ? 'checkpoint' : undefined),
    fairTurn: -1,
  } as SchedulerView;
  for (let step = 0; ; step++) {
    const enabled = left.flatMap((n, task) => (n > 0 ? [task] : []));
    if (enabled.length === 0) break;
    const chosen = chooser.choose(enabled, current, step, view);
    expect(enabled).toContain(chosen);
    const preemption = current >= 0 && chosen !== current && enabled.includes(current);
    decisions.push({ enabled, current, chosen, preemption, fairTurn: -1 });
    left[chosen] = (left[chosen] as number) - 1;
    current = chosen;
  }
  return {
    failure: undefined,
    results: [],
    trace: decisions.map((d, i) => ({
      step: i + 1,
      task: d.chosen,
      label: 'checkpoint',
      preempted: d.preemption,
      end: 'parked',
      blocked: false,
    })),
    decisions,
    abandoned: [],
    lateErrors: [],
    blockedSettled: false,
    abandonedAtOnce: false,
  };
}

/** Every schedule `strategy` hands out on the model program, as strings of task numbers. */
function schedulesOf(strategy: Strategy, steps: readonly number[], cap = 1000): string[] {
  const seen: string[] = [];
  for (let chooser = strategy.next(); chooser !== undefined; chooser = strategy.next()) {
    const result = simulate(chooser, steps);
    strategy.done(result);
    seen.push(result.decisions.map((d) => d.chosen).join(''));
    if (seen.length >= cap) break;
  }
  return seen;
}

/**
 * The schedules an exhaustive search hands out as new, in order, and how many it handed out
 * again (the cheaper schedules it reruns to reach those of the next bound).
 */
function newSchedulesOf(
  strategy: ExhaustiveStrategy | DelayBoundedStrategy,
  steps: readonly number[],
): { schedules: string[]; reruns: string[] } {
  const schedules: string[] = [];
  const reruns: string[] = [];
  for (let chooser = strategy.next(); chooser !== undefined; chooser = strategy.next()) {
    const rerun = strategy.rerunning;
    const result = simulate(chooser, steps);
    strategy.done(result);
    (rerun ? reruns : schedules).push(result.decisions.map((d) => d.chosen).join(''));
  }
  expect(strategy.reruns).toBe(reruns.length);
  return { schedules, reruns };
}

/**
 * Checks a systematic strategy against brute force on the model program: its new schedules
 * are exactly the interleavings costing at most `bound`, each once, cheapest first, the space
 * is exhausted, and it reran only cheaper schedules.
 */
function expectBruteForceSet(
  strategy: ExhaustiveStrategy | DelayBoundedStrategy,
  steps: readonly number[],
  bound: number,
  costOf: (schedule: string) => number,
): { schedules: string[]; reruns: string[] } {
  const { schedules, reruns } = newSchedulesOf(strategy, steps);
  const within = allInterleavings(steps).filter((s) => costOf(s) <= bound);
  expect(new Set(schedules).size).toBe(schedules.length);
  expect([...schedules].sort()).toEqual(within.sort());
  const costs = schedules.map(costOf);
  expect(costs).toEqual([...costs].sort((a, b) => a - b));
  expect(strategy.exhausted).toBe(true);
  for (const rerun of reruns) expect(costOf(rerun)).toBeLessThan(bound);
  return { schedules, reruns };
}

/** The positions in `schedule` (a string of task numbers) where a task was preempted. */
function preemptionSteps(schedule: string): number[] {
  const steps: number[] = [];
  for (let i = 1; i < schedule.length; i++) {
    if (schedule[i] !== schedule[i - 1] && !endsAt(schedule, i)) steps.push(i);
  }
  return steps;
}

const preemptions = (schedule: string): number => preemptionSteps(schedule).length;

/** The previous task had no steps left at position i (its switch away was not a preemption). */
function endsAt(schedule: string, i: number): boolean {
  const previous = schedule[i - 1] as string;
  return !schedule.slice(i).includes(previous);
}

/** Every interleaving of the model program (brute force). */
function allInterleavings(steps: readonly number[]): string[] {
  if (steps.every((n) => n === 0)) return [''];
  return steps.flatMap((n, task) =>
    n === 0
      ? []
      : allInterleavings(steps.map((m, t) => (t === task ? m - 1 : m))).map(
          (rest) => `${task}${rest}`,
        ),
  );
}

const OPTIONS: StrategyOptions = {
  taskCount: 2,
  runs: undefined,
  seed: 7,
  maxPreemptions: 2,
  maxDelays: 2,
  depth: 3,
};

describe('exhaustive', () => {
  it('hands out every schedule within the bound once, fewest preemptions first, in a fixed order', () => {
    // Two tasks of two steps: 0011 and 1100 preempt nothing; 0110 and 1001 preempt once (the
    // switch back, to a task whose partner has no step left, is not a preemption). To reach
    // those, the search of bound 1 runs the two of bound 0 again.
    expect(schedulesOf(new ExhaustiveStrategy(1), [2, 2])).toEqual([
      '0011',
      '1100',
      '0011',
      '0110',
      '1100',
      '1001',
    ]);
    expect(newSchedulesOf(new ExhaustiveStrategy(1), [2, 2])).toEqual({
      schedules: ['0011', '1100', '0110', '1001'],
      reruns: ['0011', '1100'],
    });
  });

  it('keeps one frame per step of the last schedule, however many choices are left', () => {
    // The old search queued a copy of the prefix for every choice not taken: memory grew with
    // the schedules run. The depth-first search keeps the path of the last one.
    const strategy = new ExhaustiveStrategy(2, 300);
    const steps = [6, 6, 6];
    let most = 0;
    let runs = 0;
    for (let chooser = strategy.next(); chooser !== undefined; chooser = strategy.next()) {
      strategy.done(simulate(chooser, steps));
      most = Math.max(most, strategy.frames);
      runs++;
    }
    expect(runs).toBe(300);
    expect(most).toBe(18);
  }, 30_000); // thousands of simulated schedules: seconds on a loaded machine

  it('a task that finishes past a fairness point: going on there costs like a preemption', () => {
    // One decision at a fairness point: task 0 ran 64 steps in a row, task 1 waited longest.
    const decision = { enabled: [0, 1], current: 0, chosen: 1, preemption: false, fairTurn: 1 };
    expect(choiceCost(decision, 1)).toBe(0);
    expect(choiceCost(decision, 0)).toBe(1);
    expect(choiceCost({ ...decision, enabled: [0, 1, 2] }, 2)).toBe(1);
    expect(choiceCost({ ...decision, fairTurn: -1 }, 1)).toBe(1);
  });

  it.each([
    { steps: [2, 2], bound: 0 },
    { steps: [2, 2], bound: 2 },
    { steps: [3, 2], bound: 1 },
    { steps: [2, 2, 2], bound: 1 },
    { steps: [3, 3, 2], bound: 2 },
  ])(
    'tasks of $steps steps, bound $bound: exactly the brute-force set, no repeats, by preemptions',
    ({ steps, bound }) => {
      const { schedules, reruns } = expectBruteForceSet(
        new ExhaustiveStrategy(bound),
        steps,
        bound,
        preemptions,
      );
      expect(reruns.length).toBeLessThanOrEqual(bound * schedules.length);
    },
  );

  it('stops at its run budget without claiming the space exhausted', () => {
    const strategy = new ExhaustiveStrategy(2, 3);
    expect(schedulesOf(strategy, [2, 2, 2])).toEqual(['001122', '002211', '110022']);
    expect(strategy.exhausted).toBe(false);
  });

  it('a forced choice that cannot be followed falls back to the default choice', () => {
    const strategy = new ExhaustiveStrategy(1);
    strategy.next();
    strategy.done(simulate({ choose: (enabled) => enabled[0] as number }, [1, 1]));
    // The next prefix is [1]: task 1 first. Offered only task 0, the chooser takes task 0.
    const chooser = strategy.next() as Chooser;
    expect(chooser.choose([0], -1, 0, {} as SchedulerView)).toBe(0);
  });
});

describe('delay-bounded', () => {
  /** The delays a schedule (a string of task numbers) makes under round robin. */
  function delaysOf(schedule: string, steps: readonly number[]): number {
    const left = [...steps];
    let current = -1;
    let total = 0;
    for (const char of schedule) {
      const chosen = Number(char);
      const enabled = left.flatMap((n, task) => (n > 0 ? [task] : []));
      total += delays({ enabled, current, chosen, preemption: false, fairTurn: -1 }, chosen);
      left[chosen] = (left[chosen] as number) - 1;
      current = chosen;
    }
    return total;
  }

  it('the round-robin scheduler: the current task, else the next one after it, wrapping', () => {
    expect(roundRobin([0, 1, 2], 1, -1)).toBe(1);
    expect(roundRobin([0, 2, 3], 1, -1)).toBe(2);
    expect(roundRobin([0, 1], 3, -1)).toBe(0);
    expect(roundRobin([0, 1, 2], -1, -1)).toBe(0);
    expect(roundRobin([0, 1, 2], 0, 2)).toBe(2);
    // Skipping the scheduler's choice to run the one after it costs 1, two after it 2.
    const decision = { enabled: [0, 1, 2], current: 1, chosen: 1, preemption: false, fairTurn: -1 };
    expect([0, 1, 2].map((task) => delays(decision, task))).toEqual([2, 0, 1]);
  });

  it.each([
    { steps: [2, 2], bound: 0 },
    { steps: [2, 2], bound: 1 },
    { steps: [3, 2], bound: 2 },
    { steps: [2, 2, 2], bound: 1 },
    { steps: [3, 3, 2], bound: 2 },
  ])(
    'tasks of $steps steps, bound $bound: exactly the brute-force set, fewest delays first',
    ({ steps, bound }) => {
      expectBruteForceSet(new DelayBoundedStrategy(bound), steps, bound, (s) => delaysOf(s, steps));
    },
  );

  it('with one delay, tries a number of schedules that grows with the steps, not the tasks', () => {
    // Eight tasks of two steps: 8! orders without a preemption, but with one delay, at most
    // one per step and per skipped task.
    const steps = Array.from({ length: 8 }, () => 2);
    const { schedules } = newSchedulesOf(new DelayBoundedStrategy(1), steps);
    expect(schedules[0]).toBe('0011223344556677');
    expect(schedules.length).toBeLessThanOrEqual(1 + 16 * 7);
  });
});

describe('pct', () => {
  it('with depth 1 runs each task to its end in a random priority order', () => {
    const schedules = schedulesOf(
      new PctStrategy({ ...OPTIONS, taskCount: 3, depth: 1 }, 6),
      [2, 2, 2],
    );
    expect(schedules).toMatchInlineSnapshot(`
      [
        "110022",
        "221100",
        "002211",
        "002211",
        "112200",
        "110022",
      ]
    `);
    for (const schedule of schedules) expect(preemptions(schedule)).toBe(0);
  });

  it('makes at most depth - 1 preemptions, draws change points within the longest schedule seen, and the same seed gives the same schedules', () => {
    const steps = [6, 6, 6];
    const make = () => new PctStrategy({ ...OPTIONS, taskCount: 3, depth: 3 }, 200);
    const schedules = schedulesOf(make(), steps);
    expect(schedules).toHaveLength(200);
    expect(Math.max(...schedules.map(preemptions))).toBe(2);
    expect(schedulesOf(make(), steps)).toEqual(schedules);
    // The first schedules estimate 6 steps (2 per task): their change points fall in the first
    // 5 steps; once an 18-step schedule was seen, later ones reach beyond.
    const lastPreemption = (s: string) => Math.max(-1, ...preemptionSteps(s));
    expect(lastPreemption(schedules[0] as string)).toBeLessThan(6);
    expect(Math.max(...schedules.slice(1).map(lastPreemption))).toBeGreaterThanOrEqual(6);
  });

  it('hands out `runs` schedules, then none', () => {
    expect(schedulesOf(new PctStrategy(OPTIONS, 4), [1, 1])).toHaveLength(4);
  });
});

describe('random', () => {
  it('walks at random: the same seed gives the same schedules, another seed others', () => {
    const a = schedulesOf(new RandomStrategy(1, 20), [3, 3]);
    expect(a).toEqual(schedulesOf(new RandomStrategy(1, 20), [3, 3]));
    expect(a).not.toEqual(schedulesOf(new RandomStrategy(2, 20), [3, 3]));
    expect(a.slice(0, 4)).toMatchInlineSnapshot(`
      [
        "101100",
        "110100",
        "000111",
        "010011",
      ]
    `);
    expect(new Set(a).size).toBeGreaterThan(5);
  });
});

describe('portfolio', () => {
  it('goes on with pct after the first schedule when the bounded space does not fit half its budget', () => {
    const steps = [3, 3, 3];
    const options = { ...OPTIONS, taskCount: 3 };
    const strategy = new PortfolioStrategy(options, 10);
    const schedules = schedulesOf(strategy, steps);
    expect(schedules).toHaveLength(10);
    expect(schedules.slice(0, 1)).toEqual(schedulesOf(new ExhaustiveStrategy(2, 1), steps));
    // pct starts from the longest schedule seen (9 steps).
    expect(schedules.slice(1)).toEqual(schedulesOf(new PctStrategy(options, 9, 9), steps));
    expect(strategy.exhausted).toBe(false);
  });

  it('searches exhaustively, and stops exhausted, when the bounded space fits half its budget', () => {
    const strategy = new PortfolioStrategy({ ...OPTIONS, maxPreemptions: 1 }, 1000);
    expect(schedulesOf(strategy, [2, 2])).toEqual(['0011', '1100', '0011', '0110', '1100', '1001']);
    expect(strategy.exhausted).toBe(true);
    const three = new PortfolioStrategy({ ...OPTIONS, taskCount: 3 }, 1000);
    const { length } = schedulesOf(three, [3, 3, 2]);
    expect(three.exhausted).toBe(true);
    expect(length).toBe(schedulesOf(new ExhaustiveStrategy(2), [3, 3, 2]).length);
  });

  it('never starts an exhaustive search of every order of many tasks', () => {
    // Ten tasks: 10! orders without a single preemption. The first schedule tells.
    const options = { ...OPTIONS, taskCount: 10 };
    const strategy = new PortfolioStrategy(options, 50);
    const steps = Array.from({ length: 10 }, () => 2);
    const schedules = schedulesOf(strategy, steps);
    expect(schedules.slice(1)).toEqual(schedulesOf(new PctStrategy(options, 49, 20), steps));
  });
});

describe('replay', () => {
  it('hands out one schedule, the token segments followed exactly, then default choices', () => {
    const strategy = new ReplayStrategy([
      { task: 1, steps: 1 },
      { task: 0, steps: 2 },
    ]);
    expect(strategy.replaying).toBe(true);
    expect(schedulesOf(strategy, [2, 2])).toEqual(['1001']);
  });

  it('throws ERR_REPLAY_DIVERGED where the token names a task that cannot run', () => {
    const chooser = new ReplayStrategy([{ task: 0, steps: 3 }]).next() as Chooser;
    expect(() => simulate(chooser, [2, 2])).toThrowErrorMatchingInlineSnapshot(
      `[InterleaveError: The replay diverged at step 3: the token runs task 0 there, but task 0 has already finished; tasks that could run: task 1 (at \`checkpoint\`). The program changed since the token was made, or something outside the scheduler's control (timing, I/O, Math.random) decided the order. Run the exploration again without \`replay\` (and without INTERLEAVE_REPLAY) to get a token for the program as it is now.]`,
    );
  });
});

describe('the registry', () => {
  it('lists every strategy, and makes each with the budget it owns', () => {
    expect(STRATEGY_NAMES).toEqual(['exhaustive', 'pct', 'random', 'portfolio', 'delay-bounded']);
    const counts = Object.fromEntries(
      STRATEGY_NAMES.map((name) => [
        name,
        schedulesOf(createStrategy(name, { ...OPTIONS, taskCount: 3 }), [4, 4, 4], 5000).length,
      ]),
    );
    // exhaustive: every schedule within 2 preemptions (no budget), and the cheaper ones it
    // runs again to reach them; portfolio judges that too large for its exhaustive half (500)
    // once twice its estimate is counted (2 × 262.5), so it runs pct; pct and random 1000.
    const within = allInterleavings([4, 4, 4]).filter((s) => preemptions(s) <= 2).length;
    expect(within).toBe(402);
    // delay-bounded: every schedule within 2 delays of round robin, and its reruns (63 runs).
    expect(counts).toEqual({
      exhaustive: within + 66,
      pct: 1000,
      random: 1000,
      portfolio: 1000,
      'delay-bounded': 63,
    });
    const larger = { ...OPTIONS, taskCount: 3, maxPreemptions: 4 };
    expect(schedulesOf(createStrategy('portfolio', larger), [4, 4, 4], 5000)).toHaveLength(1000);
    expect(schedulesOf(createStrategy('random', { ...OPTIONS, runs: 7 }), [1, 1])).toHaveLength(7);
  }, 30_000); // thousands of simulated schedules: seconds on a loaded machine
});
