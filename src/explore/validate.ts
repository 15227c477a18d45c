import { CALLBACK_TIMEOUT, SETTLE_TIMEOUT, STEP_TIMEOUT } from '../internal/defaults.ts';
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
import { DEFAULT_RUNS } from './strategies/strategy.ts';
import { STRATEGY_NAMES, type StrategyName } from './strategies/registry.ts';

/** An explore spec after validation, with defaults filled in. */
export interface ValidSpec {
  readonly setup: (() => unknown) | undefined;
  readonly teardown: ((ctx: unknown) => unknown) | undefined;
  readonly tasks: readonly ((ctx: unknown) => unknown)[];
  readonly points: ((ctx: unknown) => unknown) | undefined;
  readonly check: ((ctx: unknown, results: unknown[]) => unknown) | undefined;
  readonly strategy: StrategyName;
  readonly maxPreemptions: number;
  readonly maxDelays: number;
  /** As given: undefined leaves the run budget to the strategy (strategies/registry.ts). */
  readonly runs: number | undefined;
  readonly depth: number;
  readonly seed: number;
  readonly replay: string | undefined;
  readonly stepTimeout: number;
  readonly settleTimeout: number;
  readonly callbackTimeout: number;
  readonly shrink: boolean;
  readonly maxSteps: number;
  readonly time: 'virtual' | 'real';
}

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
  strategy: oneOf(STRATEGY_NAMES, { fallback: 'portfolio', hint: "Leave it out for 'portfolio'." }),
  maxPreemptions: integer({ min: 0, max: 64, fallback: 2 }),
  maxDelays: integer({ min: 0, max: 64, fallback: 2 }),
  runs: optional(
    integer({
      min: 1,
      fallback: DEFAULT_RUNS,
      hint: `Leave it out for the strategy's default (${DEFAULT_RUNS} for pct, random and portfolio; no bound for exhaustive and delay-bounded).`,
    }),
  ),
  depth: integer({ min: 1, fallback: 3 }),
  maxSteps: integer({ min: 1, max: 10_000_000, fallback: 10_000 }),
  seed: integer({ min: 0, max: 0xffffffff, fallback: 0 }),
  replay: optional(string('the token string of a RaceError (its `.replay`)')),
  stepTimeout: duration({
    meaning: 'how long a step may run before its task counts as blocked',
    zero: 'one turn of the event loop (tasks that wait on nothing but each other: no I/O, no timers)',
    fallback: STEP_TIMEOUT,
  }),
  settleTimeout: duration({
    meaning: "how long a failed schedule's tasks get to settle",
    fallback: SETTLE_TIMEOUT,
  }),
  callbackTimeout: duration({
    meaning: 'how long setup, points, check and teardown may each take',
    fallback: CALLBACK_TIMEOUT,
    unbounded: true,
  }),
  shrink: boolean(true),
  time: oneOf(['virtual', 'real'] as const, {
    fallback: 'virtual',
    meaning: "whose clock the tasks' timers run on",
    hint: "Leave it out for 'virtual' (timers fire when the scheduler grants them); 'real' runs them on the wall clock.",
  }),
};

/**
 * Checks `explore`'s spec; every failure is an `ArgumentError` naming the field, what was
 * expected, what was received and how to fix it.
 */
export function validateSpec(spec: unknown): ValidSpec {
  const valid: ValidSpec = parseOptions(
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
  return valid;
}
