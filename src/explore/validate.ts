import { SETTLE_TIMEOUT, STEP_TIMEOUT } from '../internal/defaults.ts';
import { duration } from '../internal/duration.ts';
import {
  boolean,
  fn,
  integer,
  nonEmptyList,
  oneOf,
  optional,
  parseOptions,
  string,
  type Rule,
} from '../internal/options.ts';
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
const task = fn<(ctx: unknown) => unknown>(
  'a function (ctx) => ...',
  'Pass the function itself, not the result of calling it.',
);
const hook = optional(fn<never>('a function', 'Leave it out if you do not need it.'));

/** The fields of `explore`'s spec, in the order they are checked and listed. */
const SCHEMA = {
  setup: hook as Rule<ValidSpec['setup']>,
  teardown: hook as Rule<ValidSpec['teardown']>,
  tasks: nonEmptyList(
    task,
    'a non-empty array of functions (ctx) => ...',
    'Pass the concurrent operations, e.g. tasks: [increment, increment].',
  ),
  points: hook as Rule<ValidSpec['points']>,
  check: hook as Rule<ValidSpec['check']>,
  strategy: oneOf(STRATEGIES, { fallback: 'portfolio', hint: "Leave it out for 'portfolio'." }),
  maxPreemptions: integer({ min: 0, max: 64, fallback: 2 }),
  runs: integer({ min: 1, fallback: 1000 }),
  depth: integer({ min: 1, fallback: 3 }),
  maxSteps: integer({ min: 1, max: 10_000_000, fallback: 10_000 }),
  seed: integer({ min: 0, max: 0xffffffff, fallback: 0 }),
  replay: optional(string('the token string of a RaceError (its `.replay`)')),
  stepTimeout: duration({
    meaning: 'how long a step may run before its task counts as blocked',
    fallback: STEP_TIMEOUT,
  }),
  settleTimeout: duration({
    meaning: "how long a failed schedule's tasks get to settle",
    fallback: SETTLE_TIMEOUT,
  }),
  shrink: boolean(true),
};

/**
 * Checks `explore`'s spec; every failure is an `ArgumentError` naming the field, what was
 * expected, what was received and how to fix it.
 */
export function validateSpec(spec: unknown): ValidSpec {
  const valid = parseOptions(
    spec,
    {
      api: 'explore',
      name: 'spec',
      position: 'the argument',
      example: '{ tasks: [taskA, taskB] }',
      noun: 'field',
      optional: false,
    },
    SCHEMA,
  );
  // Exhaustive search has no run bound unless one is given.
  const unbounded =
    valid.strategy === 'exhaustive' && (spec as ExploreSpec<unknown>).runs === undefined;
  return { ...valid, runs: unbounded ? undefined : valid.runs };
}
