/**
 * The code each worker thread of `runInWorkers` starts with: load the task module (with a
 * TypeScript loader where the thread needs one), report whether the export exists, wait for
 * the start signal, run the task with a runner on the shared barrier, and report its outcome
 * (errors serialized so that `code` survives).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { validateLabel } from '../validate.ts';
import { BEAT_MS, type FromWorker, type ToWorker, type WorkerSetup } from './protocol.ts';
import { deserializeError, serializeError } from './serialize-error.ts';
import { SharedBarrier } from './shared-barrier.ts';
import { prepareTypeScript } from './typescript-loader.ts';
import type { WorkerRunner } from './types.ts';

const setup = workerData as WorkerSetup;
const port = parentPort;
if (port === null) throw new Error('interleave worker entry must run in a worker thread');

const post = (message: FromWorker) => {
  port.postMessage(message);
};

const barrier = new SharedBarrier(setup.buffer, setup.count, setup.timeout);
const controller = new AbortController();

const runner: WorkerRunner = Object.freeze({
  index: setup.index,
  count: setup.count,
  signal: controller.signal,
  async await(label?: string): Promise<void> {
    return barrier.arrive(setup.index, validateLabel('runner.await', label));
  },
  awaitSync(label?: string): void {
    barrier.arriveSync(setup.index, validateLabel('runner.awaitSync', label));
  },
});

type Task = (runner: WorkerRunner, data: unknown) => unknown;

// An error nobody caught (thrown from a timer, a rejection nobody handled) ends the thread as
// Node would end it, but crosses to the main thread serialized like a task's own failure:
// Node's own report would turn a value it cannot copy (a Proxy, a Symbol) into a string.
process.on('uncaughtException', (error: unknown) => {
  post({ type: 'uncaught', error: serializeError(error) });
  process.exit(1);
});

// Not a top-level await: if the module's own top-level await never settles, the thread runs
// out of work, and 'beforeExit' says so (a pending top-level await here would end the thread
// with code 13 and a warning that points at this file instead of the user's module).
let loading = true;
process.once('beforeExit', () => {
  if (loading) post({ type: 'load-unsettled' });
});
void load().then((task) => {
  loading = false;
  port.on('message', (message: ToWorker) => {
    if (message.type === 'abort') {
      controller.abort(deserializeError(message.reason));
      return;
    }
    if (task !== undefined) void run(task);
  });
});

/** Loads the module and reports whether its export is a task; resolves to the task. */
async function load(): Promise<Task | undefined> {
  try {
    await prepareTypeScript(setup.moduleUrl);
    post({ type: 'loading' });
    const exports = taskExports((await importBeating(setup.moduleUrl)) as Record<string, unknown>);
    const candidate = exports[setup.exportName];
    if (typeof candidate === 'function') {
      post({ type: 'ready' });
      return candidate as Task;
    }
    const functions = Object.keys(exports).filter((key) => typeof exports[key] === 'function');
    post({ type: 'missing-export', found: typeof candidate, functions });
  } catch (error) {
    post({ type: 'load-failed', error: serializeError(error) });
  }
  return undefined;
}

/**
 * Imports the task module, beating meanwhile: the main thread sees the beats stop if the
 * module's top level blocks the thread (`load-clock.ts`). The timer is unref'd, so that a
 * top-level await that never settles still leaves the thread out of work ('beforeExit').
 */
async function importBeating(moduleUrl: string): Promise<unknown> {
  const beats = new Int32Array(setup.beats);
  const beat = setInterval(() => {
    Atomics.add(beats, setup.index, 1);
  }, BEAT_MS).unref();
  try {
    return await import(moduleUrl);
  } finally {
    clearInterval(beat);
  }
}

/**
 * The exports to look the task up in. A CommonJS module (a `.cjs` file, or TypeScript that
 * tsx compiled as CommonJS) may reach `import()` with its exports on `default` only, when
 * Node cannot detect their names: then `default`'s properties are the exports.
 */
function taskExports(namespace: Record<string, unknown>): Record<string, unknown> {
  const names = Object.keys(namespace).filter((key) => key !== 'module.exports');
  const fallback = namespace.default;
  if (names.length === 1 && names[0] === 'default' && typeof fallback === 'object' && fallback) {
    return fallback as Record<string, unknown>;
  }
  return namespace;
}

async function run(fn: Task): Promise<void> {
  let outcome: FromWorker;
  try {
    const value = await fn(runner, setup.data);
    barrier.finish(setup.index);
    outcome = { type: 'done', ok: true, value };
  } catch (error) {
    // Failing on the barrier first records this failure's order (and wakes the waiters),
    // so the main thread can tell the root failure from the ones it caused.
    barrier.fail(setup.index, error);
    outcome = { type: 'done', ok: false, error: serializeError(error) };
  }
  try {
    post(outcome);
  } catch (error) {
    // The return value could not be structured-cloned.
    post({ type: 'done', ok: false, error: serializeError(error) });
  }
  port?.close();
}
