import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InterleaveError } from '../../errors.ts';
import { describeValue } from '../../internal/describe.ts';
import { ParallelError, type TaskFailure } from '../parallel-error.ts';
import { validateRunOptions } from '../validate.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.ts';
import { deserializeError } from './serialize-error.ts';
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
  const workers = names.map((exportName, index) => {
    const workerData: WorkerSetup = { moduleUrl, exportName, index, count, buffer, timeout, data };
    return new Worker(entry.script, {
      eval: entry.eval,
      workerData,
      execArgv: [...(execArgv ?? process.execArgv)],
      stdout: false,
      stderr: false,
    });
  });
  try {
    await Promise.all(workers.map((worker, index) => loaded(worker, index, names, moduleUrl)));
    return await collect(workers, names, barrier, timeout, settle);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** Resolves once the worker has loaded the module and found its export. */
function loaded(worker: Worker, index: number, names: string[], moduleUrl: string): Promise<void> {
  const name = names[index] as string;
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromWorker) => {
      cleanup();
      if (message.type === 'ready') resolve();
      else if (message.type === 'load-failed') {
        reject(explainLoadFailure(deserializeError(message.error), moduleUrl));
      } else if (message.type === 'missing-export') {
        const known = message.functions.length > 0 ? message.functions.join(', ') : 'none';
        reject(
          new InterleaveError(
            'ERR_UNKNOWN_EXPORT',
            `runInWorkers() task ${index} names the export \`${name}\`, but ${moduleUrl} ${message.found === 'undefined' ? 'has no such export' : `exports it as a ${message.found}, not a function`}. Exported functions: ${known}. Check the name in \`tasks\`.`,
          ),
        );
      }
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(crashed(index, name, code, 'while loading its module'));
    };
    const cleanup = () => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

/** Starts every task and gathers the outcomes, failing fast on barriers, never hanging. */
function collect(
  workers: Worker[],
  names: string[],
  barrier: SharedBarrier,
  timeout: number,
  settle: boolean,
): Promise<unknown[]> {
  const count = workers.length;
  const outcomes: (PromiseSettledResult<unknown> | undefined)[] = Array.from({ length: count });
  let first: TaskFailure | undefined;
  let pending = count;
  let grace: NodeJS.Timeout | undefined;

  return new Promise((resolve, reject) => {
    const finishRun = () => {
      clearTimeout(grace);
      const results = outcomes as PromiseSettledResult<unknown>[];
      if (settle) resolve(results);
      else if (first === undefined)
        resolve(results.map((r) => (r as PromiseFulfilledResult<unknown>).value));
      else {
        const failures: TaskFailure[] = [];
        results.forEach((r, index) => {
          if (r.status === 'rejected') failures.push({ index, error: r.reason });
        });
        reject(new ParallelError(failures, count, first));
      }
    };
    const settleTask = (index: number, outcome: PromiseSettledResult<unknown>) => {
      if (outcomes[index] !== undefined) return;
      outcomes[index] = outcome;
      pending--;
      if (outcome.status === 'rejected' && first === undefined) {
        first = { index, error: outcome.reason };
        const abort: ToWorker = { type: 'abort', reason: `task ${index} failed` };
        for (const worker of workers) worker.postMessage(abort);
        if (pending > 0) grace = setTimeout(abandonRest, timeout);
      }
      if (pending === 0) finishRun();
    };
    const abandonRest = () => {
      outcomes.forEach((outcome, index) => {
        if (outcome !== undefined) return;
        barrier.fail(index);
        outcomes[index] = {
          status: 'rejected',
          reason: new InterleaveError(
            'ERR_TASK_ABANDONED',
            `Task ${index} (\`${names[index] ?? ''}\`) was still running ${timeout} ms after task ${first?.index ?? '?'} failed, so its worker thread was terminated. Make the task return when \`runner.signal\` aborts, or raise \`timeout\`.`,
          ),
        };
      });
      pending = 0;
      finishRun();
    };

    workers.forEach((worker, index) => {
      let uncaught: Error | undefined;
      worker.on('message', (message: FromWorker) => {
        if (message.type !== 'done') return;
        if (message.ok) settleTask(index, { status: 'fulfilled', value: message.value });
        else settleTask(index, { status: 'rejected', reason: deserializeError(message.error) });
      });
      worker.on('error', (error: Error) => {
        uncaught = error;
      });
      worker.on('exit', (code: number) => {
        if (outcomes[index] !== undefined) return;
        barrier.fail(index); // wake the threads that wait for this one
        settleTask(index, {
          status: 'rejected',
          reason: uncaught ?? crashed(index, names[index] ?? '', code, 'while running its task'),
        });
      });
    });
    const start: ToWorker = { type: 'start' };
    for (const worker of workers) worker.postMessage(start);
  });
}

/**
 * A task module that a worker could not load. A TypeScript module on a Node without type
 * stripping gets an explanation of the ways to load it; anything else is passed on as is.
 */
export function explainLoadFailure(error: Error, moduleUrl: string): Error {
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
