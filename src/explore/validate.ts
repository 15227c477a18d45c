import { SETTLE_TIMEOUT, STEP_TIMEOUT } from '../internal/defaults.ts';
import { describeValue } from '../internal/describe.ts';
import { validateDuration } from '../internal/duration.ts';
import type { StrategyName } from './strategies/strategy.ts';
import type { ExploreSpec } from './types.ts';

/** An explore spec after validation, with defaults filled in. */
export interface ValidSpec {
  readonly setup: (() => unknown) | undefined;
  readonly teardown: ((ctx: unknown) => unknown) | undefined;
  readonly tasks: readonly ((ctx: unknown) => unknown)[];
  readonly points: ((ctx: unknown) => unknown) | undefined;
  readonly check: ((ctx: unknown, results: unknown[]) => unknown) | undefined;
  readonly strategy: StrategyName;
  readonly maxPreemptions: number;
  /** undefined = no bound (exhaustive without `runs`). */
  readonly runs: number | undefined;
  readonly depth: number;
  readonly seed: number;
  readonly replay: string | undefined;
  readonly stepTimeout: number;
  readonly settleTimeout: number;
  readonly shrink: boolean;
  readonly maxSteps: number;
}

const STRATEGIES: readonly StrategyName[] = ['exhaustive', 'pct', 'random', 'portfolio'];
const KEYS = [
  'setup',
  'teardown',
  'tasks',
  'points',
  'check',
  'strategy',
  'maxPreemptions',
  'runs',
  'depth',
  'maxSteps',
  'seed',
  'replay',
  'stepTimeout',
  'settleTimeout',
  'shrink',
];
const FUNCTIONS = ['setup', 'teardown', 'points', 'check'] as const;

/**
 * Checks `explore`'s spec; every failure is a `TypeError` naming the field, what was expected,
 * what was received and how to fix it.
 */
export function validateSpec(spec: unknown): ValidSpec {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new TypeError(
      `Expected the argument of explore() to be a spec object such as { tasks: [taskA, taskB] }, ` +
        `got ${describeValue(spec)}.`,
    );
  }
  for (const key of Object.keys(spec)) {
    if (!KEYS.includes(key)) {
      throw new TypeError(
        `Unknown field \`${key}\` in the spec of explore(): expected only ` +
          `${KEYS.map((k) => `\`${k}\``).join(', ')}. Check the spelling.`,
      );
    }
  }
  const s = spec as ExploreSpec<unknown> & Record<string, unknown>;
  const tasks: unknown = s.tasks;
  if (!Array.isArray(tasks) || tasks.length === 0) {
    throw new TypeError(
      `Expected \`tasks\` of explore() to be a non-empty array of functions (ctx) => ..., got ` +
        `${describeValue(tasks)}. Pass the concurrent operations, e.g. tasks: [increment, increment].`,
    );
  }
  tasks.forEach((task: unknown, index) => {
    if (typeof task !== 'function') {
      throw new TypeError(
        `Expected \`tasks[${index}]\` of explore() to be a function (ctx) => ..., got ` +
          `${describeValue(task)}. Pass the function itself, not the result of calling it.`,
      );
    }
  });
  for (const key of FUNCTIONS) {
    const value: unknown = s[key];
    if (value !== undefined && typeof value !== 'function') {
      throw new TypeError(
        `Expected \`${key}\` of explore() to be a function, got ${describeValue(value)}. ` +
          `Leave it out if you do not need it.`,
      );
    }
  }
  const strategy: unknown = s.strategy ?? 'portfolio';
  if (typeof strategy !== 'string' || !STRATEGIES.includes(strategy as StrategyName)) {
    throw new TypeError(
      `Expected \`strategy\` of explore() to be one of ${STRATEGIES.map((n) => `'${n}'`).join(', ')}, ` +
        `got ${describeValue(strategy)}. Leave it out for 'portfolio'.`,
    );
  }
  const replay: unknown = s.replay;
  if (replay !== undefined && typeof replay !== 'string') {
    throw new TypeError(
      `Expected \`replay\` of explore() to be the token string of a RaceError (its \`.replay\`), ` +
        `got ${describeValue(replay)}.`,
    );
  }
  const shrink: unknown = s.shrink ?? true;
  if (typeof shrink !== 'boolean') {
    throw new TypeError(
      `Expected \`shrink\` of explore() to be a boolean, got ${describeValue(shrink)}.`,
    );
  }
  return {
    setup: s.setup,
    teardown: s.teardown,
    tasks: tasks as ValidSpec['tasks'],
    points: s.points,
    check: s.check,
    strategy: strategy as StrategyName,
    maxPreemptions: integer(s.maxPreemptions, 'maxPreemptions', 0, 2, 64),
    maxSteps: integer(s.maxSteps, 'maxSteps', 1, 10_000, 10_000_000),
    runs:
      s.runs === undefined && strategy === 'exhaustive'
        ? undefined
        : integer(s.runs, 'runs', 1, 1000),
    depth: integer(s.depth, 'depth', 1, 3),
    seed: integer(s.seed, 'seed', 0, 0, 0xffffffff),
    replay,
    stepTimeout: validateDuration(s.stepTimeout, {
      name: '`stepTimeout` of explore()',
      meaning: 'how long a step may run before its task counts as blocked',
      fallback: STEP_TIMEOUT,
    }),
    settleTimeout: validateDuration(s.settleTimeout, {
      name: '`settleTimeout` of explore()',
      meaning: "how long a failed schedule's tasks get to settle",
      fallback: SETTLE_TIMEOUT,
    }),
    shrink,
  };
}

function integer(
  value: unknown,
  name: string,
  min: number,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw new TypeError(
      `Expected \`${name}\` of explore() to be a whole number ${range}, got ${describeValue(value)}. ` +
        `Leave it out for the default (${fallback}).`,
    );
  }
  return value;
}
