import type { WakeSources } from './run-types.ts';
import { ownTimeoutsPending } from '../../internal/real-timers.ts';
import { pendingTimers } from './timer-census.ts';

/**
 * Whether anything in the process could still wake a waiting task: what lets a step that
 * waits only on other parked tasks end at once, and an in-memory deadlock be reported at once,
 * instead of after `stepTimeout` and `deadlockTimeout` of real waiting.
 *
 * Read from `process.getActiveResourcesInfo()` (one name per active handle, request, timer
 * and immediate), against a baseline taken when `explore` began and again after its first
 * schedule (`rebase`: what a test runner armed around the test's start is not the tasks'):
 *
 * - timers and immediates made while `explore` runs, and not yet fired or cleared, are
 *   sources (counted by the timer census: interleave's own are not among them), so a task
 *   waiting on `setTimeout` or `setImmediate` is waiting on something;
 * - ref'd timeouts beyond the baseline and interleave's own pending step timeouts are
 *   sources too: a timer made through a function taken before the census replaced it;
 * - the process's own channels (a terminal, a pipe, a worker's message port: the test
 *   runner's) count the same way: one more than in the baseline is a source;
 * - any other handle or request (a TCP or UDP socket, a server, a file system or DNS request,
 *   a child process) is a source whenever one is active, whether or not it existed before: a
 *   task may be waiting on a query sent over a pool's connection opened before `explore`.
 *
 * What it cannot see: work on Node's thread pool (crypto, zlib, native add-ons: not listed),
 * a timer already pending in the baseline, unref'd handles (Node does not list them), and a
 * pipe or message port that existed before `explore` and that a task now waits on (counted
 * as the runner's). A task waiting only on those is taken for one that nothing can wake.
 */
export class EventSources implements WakeSources {
  #baseline: Map<string, number>;

  constructor() {
    this.#baseline = countKinds();
  }

  /** Takes the baseline again (once the exploration is under way: see `ExploreSession`). */
  rebase(): void {
    this.#baseline = countKinds();
  }

  /** True when something could still wake a waiting task (see the class). */
  possible(): boolean {
    if (pendingTimers() > 0) return true;
    const baseline = this.#baseline;
    for (const [kind, count] of countKinds()) {
      if (kind === 'Timeout') {
        // Ref'd timeouts the census did not see (made through a function taken before
        // explore replaced them: `promisify(setTimeout)` at a module's top), beyond those
        // of the start and interleave's own.
        if (count - (baseline.get(kind) ?? 0) - ownTimeoutsPending() > 0) return true;
        continue;
      }
      if (TIMERS.has(kind)) continue;
      if (CHANNELS.has(kind)) {
        if (count > (baseline.get(kind) ?? 0)) return true;
      } else {
        return true;
      }
    }
    return false;
  }
}

/** Immediates: the census counts those made while explore runs; the rest are interleave's. */
const TIMERS = new Set(['Immediate']);

/** The process's own channels: stdio on a terminal or a pipe, a worker's port to its parent. */
const CHANNELS = new Set(['TTYWrap', 'PipeWrap', 'MessagePort']);

function countKinds(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo())
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}
