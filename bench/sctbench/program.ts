/**
 * What every SCTBench port exports: its explore spec fragment and what is known of its bug.
 */
import type { ExploreSpec } from 'interleave';
import type { PortOptions } from './support.ts';

/** A port's part of an explore spec: a fresh state per schedule, the tasks, the check. */
export type Fragment = Required<Pick<ExploreSpec<unknown>, 'setup' | 'tasks'>> &
  Pick<ExploreSpec<unknown>, 'check'>;

/** One program of SCTBench's `concurrent-software-benchmarks`, ported to async tasks. */
export interface SctProgram {
  readonly name: string;
  /** The file of mc-imperial/sctbench it ports. */
  readonly original: string;
  /** Its tasks: the threads the original starts, and `main` when it runs code of its own. */
  readonly threads: number;
  /** The fewest preemptions that expose the bug (see the port's comment). */
  readonly bound: number;
  /** How the bug shows: a task's assertion fails, or every unfinished task waits forever. */
  readonly bug: 'assertion' | 'deadlock';
  /** The program with its bug. */
  spec(options?: PortOptions): Fragment;
  /** The same program with the bug fixed, where the fix is plain. */
  readonly fixed?: (options?: PortOptions) => Fragment;
}

/** The fragment of a port whose context is `C` (explore hands setup's result to the tasks). */
export interface TypedFragment<C> {
  setup: () => C;
  tasks: readonly ((ctx: C) => Promise<void>)[];
  check?: (ctx: C) => void;
}

/**
 * Forgets the context type, so that ports with different states fit one list; explore
 * passes each task the value its own `setup` returned, so the type holds at run time.
 */
export function fragment<C>(spec: TypedFragment<C>): Fragment {
  return spec as unknown as Fragment;
}
