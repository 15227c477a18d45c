import { delayBounded } from './delay-bounded.ts';
import { exhaustive } from './exhaustive.ts';
import { pct } from './pct.ts';
import { portfolio } from './portfolio.ts';
import { random } from './random.ts';
import type { Strategy, StrategyDefinition, StrategyOptions } from './strategy.ts';

/**
 * The strategies `explore` offers, by the name its `strategy` field takes. The public
 * `StrategyName` type and the spec validator's list of names are both read off this table:
 * a new strategy is one file exporting a {@link StrategyDefinition} and one entry here.
 */
const STRATEGIES = {
  exhaustive,
  pct,
  random,
  portfolio,
  'delay-bounded': delayBounded,
} satisfies Record<string, StrategyDefinition>;

/**
 * The strategy names `explore` accepts: `exhaustive` (every schedule within the preemption
 * bound), `pct`, `random`, `portfolio` (exhaustive when the space is small, else pct; the
 * default), or `delay-bounded` (every schedule within `maxDelays` delays of a round-robin
 * scheduler).
 *
 * @example
 * ```ts
 * import { checkpoint, explore, type StrategyName } from 'interleave';
 *
 * const strategy: StrategyName = process.env.CI ? 'exhaustive' : 'portfolio';
 * await explore({ strategy, tasks: [async () => checkpoint(), async () => checkpoint()] });
 * ```
 *
 * @useDeclaredType
 */
export type StrategyName = keyof typeof STRATEGIES;

/** Every strategy name, in the table's order (what the validator accepts and lists). */
export const STRATEGY_NAMES = Object.keys(STRATEGIES) as readonly StrategyName[];

/** Makes the named strategy for one `explore` call. */
export function createStrategy(name: StrategyName, options: StrategyOptions): Strategy {
  return STRATEGIES[name].create(options);
}
