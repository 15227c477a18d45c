import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InterleaveError } from '../../errors.ts';
import { describeValue } from '../../internal/describe.ts';
import { RunOutcomes } from '../run-outcomes.ts';
import { validateRunOptions } from '../validate.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.ts';
import { deserializeError, serializeError } from './serialize-error.ts';
import { SharedBarrier, sharedBarrierBytes } from './shared-barrier.ts';
import type { WorkerOptions } from './types.ts';

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
 * Task modules: `.js`/`.mjs` always work. TypeScript modules work where the worker can load
 * them: on Node with type stripping (22.18+), or when the run's Node options load a
 * TypeScript loader (`node --import tsx`, inherited by workers, or `execArgv`).
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
  const url = validateModuleUrl(moduleUrl);
  const valid = validateRunOptions('runInWorkers', options, [
    'tasks',
    'data',
    'timeout',
    'settle',
    'execArgv',
  ]);
  const tasks = validateTasks(valid.tasks);
  const execArgv = validateExecArgv(valid.execArgv);
  return run(url, tasks, valid.data, valid.timeout, valid.settle, execArgv);
}

async function run(
  moduleUrl: string,
  names: string[],
  data: unknown,
  timeout: number,
  settle: boolean,
  execArgv: readonly string[] | undefined,
): Promise<unknown[]> {
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
      barrier.fail(index);
      void workers[index]?.terminate();
      return new InterleaveError(
        'ERR_TASK_ABANDONED',
        `Task ${index} (\`${names[index] ?? ''}\`) was still running ${timeout} ms after task ${first.index} failed, so its worker thread was terminated. Make the task return when \`runner.signal\` aborts, or raise \`timeout\`.`,
      );
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
  try {
    const loads = names.map((exportName, index) => {
      const workerData: WorkerSetup = {
        moduleUrl,
        exportName,
        index,
        count,
        buffer,
        timeout,
        data,
      };
      const worker = new Worker(entry.script, {
        eval: entry.eval,
        workerData,
        execArgv: [...(execArgv ?? process.execArgv)],
        stdout: false,
        stderr: false,
      });
      workers.push(worker);
      return watch(worker, index, exportName, () => started);
    });
    await Promise.race([Promise.all(loads), startupFailure]);
    started = true;
    const start: ToWorker = { type: 'start' };
    for (const worker of workers) worker.postMessage(start);
    return await outcomes.done;
  } finally {
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
    let uncaught: unknown;
    return new Promise<void>((loaded, failedToLoad) => {
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            loaded();
            return;
          case 'load-failed':
            failedToLoad(explainLoadFailure(deserializeError(message.error), moduleUrl));
            return;
          case 'missing-export':
            failedToLoad(missingExport(index, name, moduleUrl, message.found, message.functions));
            return;
          case 'done':
            if (outcomes.has(index)) return;
            if (message.ok) outcomes.fulfil(index, message.value);
            else outcomes.reject(index, deserializeError(message.error));
        }
      });
      worker.on('error', (error: Error) => {
        uncaught = error;
        if (!running()) {
          failedToLoad(error);
          diedBeforeStart(error);
        }
      });
      worker.on('exit', (code: number) => {
        if (!running()) {
          const error = uncaught ?? crashed(index, name, code, 'before its task started');
          failedToLoad(error);
          diedBeforeStart(error);
          return;
        }
        if (outcomes.has(index)) return;
        barrier.fail(index); // wake the threads that wait for this one
        outcomes.reject(index, uncaught ?? crashed(index, name, code, 'while running its task'));
      });
    });
  }
}

function missingExport(
  index: number,
  name: string,
  moduleUrl: string,
  found: string,
  functions: string[],
): InterleaveError {
  const known = functions.length > 0 ? functions.join(', ') : 'none';
  const what =
    found === 'undefined' ? 'has no such export' : `exports it as a ${found}, not a function`;
  return new InterleaveError(
    'ERR_UNKNOWN_EXPORT',
    `runInWorkers() task ${index} names the export \`${name}\`, but ${moduleUrl} ${what}. Exported functions: ${known}. Check the name in \`tasks\`.`,
  );
}

/**
 * A task module that a worker could not load. A TypeScript module on a Node without type
 * stripping gets an explanation of the ways to load it; anything else is passed on as is.
 */
export function explainLoadFailure(error: unknown, moduleUrl: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !/\.[cm]?tsx?$/.test(moduleUrl)) return error;
  return new InterleaveError(
    'ERR_TASK_MODULE_LOAD',
    `The worker threads of runInWorkers() cannot load the TypeScript module ${moduleUrl} on Node ${process.version}. Run the tests on Node >= 22.18 (which strips types), or load a TypeScript loader in the threads: run Node with \`--import tsx\` (threads inherit it), or pass \`execArgv: ['--import', 'tsx']\`. A .js or .mjs task module always works.`,
    { cause: error },
  );
}

function crashed(index: number, name: string, code: number, when: string): InterleaveError {
  return new InterleaveError(
    'ERR_WORKER_CRASHED',
    `The worker thread of task ${index} (\`${name}\`) exited with code ${code} ${when}, without reporting an outcome (process.exit() in the task, or the thread ran out of memory).`,
  );
}

/**
 * How to start a worker: the compiled entry in `dist/`, or, when running from this
 * repository's TypeScript sources, the `.ts` entry, loaded natively where Node strips types
 * and through tsx's loader (registered inside the thread) on older Node.
 */
function workerEntry(): { script: string | URL; eval: boolean } {
  const js = new URL('./worker-entry.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { script: js, eval: false };
  const ts = new URL('./worker-entry.ts', import.meta.url);
  if ((process.features as { typescript?: unknown }).typescript) return { script: ts, eval: false };
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const script = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(ts.href)}); });`;
  return { script, eval: true };
}

function validateModuleUrl(moduleUrl: unknown): string {
  if (moduleUrl instanceof URL) return moduleUrl.href;
  if (typeof moduleUrl === 'string') {
    if (/^(file|data|node):/.test(moduleUrl)) return moduleUrl;
    if (isAbsolute(moduleUrl)) return pathToFileURL(moduleUrl).href;
  }
  throw new TypeError(
    `Expected \`moduleUrl\` of runInWorkers() to be a URL or an absolute path of the module whose exports are the tasks, got ${describeValue(moduleUrl)}. Relative paths are ambiguous in a worker: write new URL('./tasks.mjs', import.meta.url).`,
  );
}

function validateTasks(tasks: unknown): string[] {
  if (!Array.isArray(tasks) || tasks.length === 0) {
    throw new TypeError(
      `Expected \`options.tasks\` of runInWorkers() to be a non-empty array of export names, one per thread, got ${describeValue(tasks)}. Write e.g. { tasks: ['reader', 'writer'] }.`,
    );
  }
  tasks.forEach((name: unknown, index) => {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(
        `Expected \`options.tasks[${index}]\` of runInWorkers() to be the name of an exported function, got ${describeValue(name)}.`,
      );
    }
  });
  return tasks as string[];
}

function validateExecArgv(execArgv: unknown): readonly string[] | undefined {
  if (execArgv === undefined) return undefined;
  if (Array.isArray(execArgv) && execArgv.every((arg) => typeof arg === 'string')) return execArgv;
  throw new TypeError(
    `Expected \`options.execArgv\` of runInWorkers() to be an array of strings (Node options for the threads), got ${describeValue(execArgv)}.`,
  );
}
