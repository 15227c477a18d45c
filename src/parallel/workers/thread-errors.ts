/**
 * What `runInWorkers` says when a worker thread ends without reporting its task's outcome
 * (`ERR_WORKER_CRASHED`): it exited (`process.exit()` in the task), or Node stopped it for
 * running out of memory (`ERR_WORKER_OUT_OF_MEMORY`, within its `resourceLimits` if set).
 */
import type { ResourceLimits } from 'node:worker_threads';
import { InterleaveError } from '../../errors.ts';
import { errorLine } from '../../internal/error-text.ts';

/** Which thread, and at which point of its life (`while running its task`). */
export interface ThreadSite {
  readonly index: number;
  readonly name: string;
  readonly when: string;
}

/** A thread that exited with `code` and reported nothing. */
export function crashed(site: ThreadSite, code: number): InterleaveError {
  return new InterleaveError(
    'ERR_WORKER_CRASHED',
    `The worker thread of task ${site.index} (\`${site.name}\`) exited with code ${code} ${site.when}, without reporting an outcome (process.exit() in the task, or the thread ran out of memory).`,
  );
}

/** Whether `error` (a thread's 'error' event) is Node's report of a thread out of memory. */
export function isOutOfMemory(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/** A thread that Node stopped for running out of memory; `error` is Node's report (the cause). */
export function outOfMemory(
  site: ThreadSite,
  error: unknown,
  limits: ResourceLimits | undefined,
): InterleaveError {
  const set = limits === undefined ? [] : Object.entries(limits);
  const within =
    set.length === 0
      ? 'Bound a thread with `resourceLimits` (e.g. { maxOldGenerationSizeMb: 256 }) to fail sooner, and look for what the task keeps allocating.'
      : `Its resourceLimits were { ${set.map(([key, value]) => `${key}: ${String(value)}`).join(', ')} }: raise them if the task needs more, or look for what it keeps allocating.`;
  return new InterleaveError(
    'ERR_WORKER_CRASHED',
    `The worker thread of task ${site.index} (\`${site.name}\`) ran out of memory ${site.when}, and Node stopped it (${errorLine(error)}). ${within}`,
    { cause: error },
  );
}
