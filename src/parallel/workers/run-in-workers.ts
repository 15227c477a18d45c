import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InterleaveError } from '../../errors.ts';
import { RunOutcomes } from '../run-outcomes.ts';
import { timeOutTasks } from '../task-timeout.ts';
import { LoadClock } from './load-clock.ts';
import { explainLoadFailure, missingExport, unsettledLoad } from './load-errors.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.ts';
import { deserializeError, serializeError } from './serialize-error.ts';
import { SharedBarrier, sharedBarrierBytes } from './shared-barrier.ts';
import { crashed, isOutOfMemory, outOfMemory } from './thread-errors.ts';
import type { WorkerOptions } from './types.ts';
import { stripsTypes, TYPESCRIPT_LOADER_KEY } from './typescript-loader.ts';
import {
  validateModuleUrl,
  validateWorkerOptions,
  type ValidWorkerOptions,
} from './validate-options.ts';

/**
 * Runs named exports of a module, each in its own worker thread, as `fn(runner, data)`.
 * The threads meet at a barrier in shared memory: `runner.await()` waits without blocking
 * the thread's event loop, `runner.awaitSync()` blocks the thread like a lock would. Every
 * thread starts its task only once all of them have loaded the module.
 *
 * Resolves to the return values (structured-cloned) in task order. If a task fails, its
 * thread dies, or a barrier breaks, rejects with a `ParallelError` carrying each worker's
 * error with its message, stack and `code`. No worker outlives the run.
 *
 * Task modules: `.js`/`.mjs` always work. A `.ts` module loads with Node's type stripping
 * (Node 22.18+), and on older Node through tsx, which interleave registers in each thread
 * (install it as a dev dependency).
 *
 * A module that cannot be loaded (missing, throws, or its top-level await never settles)
 * rejects with `ERR_TASK_MODULE_LOAD`; `data` that cannot be structured-cloned rejects with a
 * `TypeError` (an `ArgumentError`) before any thread starts.
 *
 * @example
 * ```ts
 * import { runInWorkers } from 'interleave';
 *
 * // tasks.mjs: export function add(runner, { counter }) {
 * //   const seen = counter[0]; runner.awaitSync(); counter[0] = seen + 1; }
 * const counter = new Int32Array(new SharedArrayBuffer(4));
 * await runInWorkers(new URL('./tasks.mjs', import.meta.url), {
 *   tasks: ['add', 'add'],
 *   data: { counter },
 * });
 * console.log(counter[0]); // 1: one update was lost
 * ```
 */
export async function runInWorkers<T = unknown>(
  moduleUrl: string | URL,
  options: WorkerOptions & { settle: true },
): Promise<PromiseSettledResult<T>[]>;
export async function runInWorkers<T = unknown>(
  moduleUrl: string | URL,
  options: WorkerOptions,
): Promise<T[]>;
export async function runInWorkers(moduleUrl: unknown, options: unknown): Promise<unknown[]> {
  return run(validateModuleUrl(moduleUrl), validateWorkerOptions(options));
}

async function run(moduleUrl: string, options: ValidWorkerOptions): Promise<unknown[]> {
  const { tasks: names, data, timeout, taskTimeout, settle } = options;
  const count = names.length;
  const buffer = new SharedArrayBuffer(sharedBarrierBytes(count));
  const barrier = new SharedBarrier(buffer, count, timeout);
  const entry = workerEntry();
  const workers: Worker[] = [];
  const outcomes = new RunOutcomes(count, timeout, settle, {
    onFirstFailure: ({ error }) => {
      const abort: ToWorker = { type: 'abort', reason: serializeError(error) };
      for (const worker of workers) worker.postMessage(abort);
    },
    abandon: (index, first) => {
      const abandoned = new InterleaveError(
        'ERR_TASK_ABANDONED',
        `Task ${index} (\`${names[index] ?? ''}\`) was still running ${timeout} ms after task ${first.index} failed, so its worker thread was terminated. Make the task return when \`runner.signal\` aborts, or raise \`timeout\`.`,
      );
      barrier.fail(index, abandoned);
      void workers[index]?.terminate();
      return abandoned;
    },
    timeOut: (pending) => {
      const errors = timeOutTasks(pending, barrier, names, { taskTimeout, threads: true });
      for (const index of pending) void workers[index]?.terminate();
      return errors;
    },
    // Threads report in any order; the barrier recorded the order in which they failed.
    pickFirst: (failures, reported) => {
      const ordered = failures
        .filter((f) => barrier.failureOrder(f.index) > 0)
        .sort((a, b) => barrier.failureOrder(a.index) - barrier.failureOrder(b.index));
      return ordered[0] ?? reported;
    },
  });
  let started = false;
  // A thread that dies before the start (even after it loaded) fails the whole run at once.
  let diedBeforeStart!: (error: unknown) => void;
  const startupFailure = new Promise<never>((_, reject) => (diedBeforeStart = reject));
  startupFailure.catch(() => undefined);
  const beats = new SharedArrayBuffer(count * Int32Array.BYTES_PER_ELEMENT);
  const loading = new LoadClock(
    { moduleUrl, names },
    taskTimeout,
    new Int32Array(beats),
    diedBeforeStart,
  );
  try {
    const loads = names.map((exportName, index) => {
      const workerData: WorkerSetup = {
        moduleUrl,
        exportName,
        index,
        count,
        buffer,
        beats,
        timeout,
        data,
      };
      const worker = new Worker(entry.script, {
        eval: entry.eval,
        workerData,
        // Left out, a thread inherits this process's options as Node parsed them; a copy of
        // process.execArgv is refused when it holds V8 options (--expose-gc,
        // --max-old-space-size) or, under node --test on Node 24, options not allowed in
        // threads.
        ...(options.execArgv === undefined ? {} : { execArgv: [...options.execArgv] }),
        ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
        stdout: false,
        stderr: false,
      });
      workers.push(worker);
      return watch(worker, index, exportName, () => started);
    });
    await Promise.race([Promise.all(loads), startupFailure]);
    loading.stop();
    started = true;
    const start: ToWorker = { type: 'start' };
    for (const worker of workers) worker.postMessage(start);
    outcomes.startClock(taskTimeout);
    return await outcomes.done;
  } finally {
    loading.stop();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  /**
   * Listens to one worker for its whole life (so that no error or exit goes unseen) and
   * returns the promise that it loaded the module and found its export.
   */
  function watch(
    worker: Worker,
    index: number,
    name: string,
    running: () => boolean,
  ): Promise<void> {
    const site = { moduleUrl, index, name };
    const thread = () => ({
      index,
      name,
      when: running() ? 'while running its task' : 'before its task started',
    });
    // What the thread threw uncaught, if it did (null and undefined too).
    let uncaught: { error: unknown } | undefined;
    return new Promise<void>((loaded, failedToLoad) => {
      // Settles both at once, so the first reason wins (a thread that reported why it could
      // not load may exit right after: its exit does not replace the reason).
      const failBeforeStart = (error: unknown) => {
        failedToLoad(error);
        diedBeforeStart(error);
      };
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'loading':
            loading.begin(index);
            return;
          case 'ready':
            loading.end(index);
            loaded();
            return;
          case 'load-failed':
            failBeforeStart(explainLoadFailure(deserializeError(message.error), site));
            return;
          case 'load-unsettled':
            failBeforeStart(unsettledLoad(site));
            return;
          case 'missing-export':
            failBeforeStart(missingExport(site, message.found, message.functions));
            return;
          case 'uncaught':
            uncaught = { error: deserializeError(message.error) };
            if (!running()) failBeforeStart(uncaught.error);
            return;
          case 'done':
            if (outcomes.has(index)) return;
            if (message.ok) outcomes.fulfil(index, message.value);
            else outcomes.reject(index, deserializeError(message.error));
        }
      });
      worker.on('error', (error: unknown) => {
        const limits = options.resourceLimits;
        uncaught = { error: isOutOfMemory(error) ? outOfMemory(thread(), error, limits) : error };
        if (!running()) failBeforeStart(uncaught.error);
      });
      worker.on('exit', (code: number) => {
        const error = uncaught ? uncaught.error : crashed(thread(), code);
        if (!running()) {
          failBeforeStart(error);
          return;
        }
        if (outcomes.has(index)) return;
        barrier.fail(index, error); // wake the threads that wait for this one
        outcomes.reject(index, error);
      });
    });
  }
}

/**
 * How to start a worker: the compiled entry in `dist/`, or, when running from this
 * repository's TypeScript sources, the `.ts` entry, loaded natively where Node strips types
 * and through tsx's loader (registered inside the thread, which is marked as having it, so
 * that a TypeScript task module does not register it twice) on older Node.
 */
function workerEntry(): { script: string | URL; eval: boolean } {
  const js = new URL('./worker-entry.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { script: js, eval: false };
  const ts = new URL('./worker-entry.ts', import.meta.url);
  if (stripsTypes()) return { script: ts, eval: false };
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const marker = `globalThis[Symbol.for(${JSON.stringify(TYPESCRIPT_LOADER_KEY)})] = true;`;
  const script = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); ${marker} return import(${JSON.stringify(ts.href)}); });`;
  return { script, eval: true };
}
