/**
 * The code each worker thread of `runInWorkers` starts with: load the task module, report
 * whether the export exists, wait for the start signal, run the task with a runner on the
 * shared barrier, and report its outcome (errors serialized so that `code` survives).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { validateLabel } from '../validate.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.ts';
import { deserializeError, serializeError } from './serialize-error.ts';
import { SharedBarrier } from './shared-barrier.ts';
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

let task: ((runner: WorkerRunner, data: unknown) => unknown) | undefined;
try {
  const loaded = (await import(setup.moduleUrl)) as Record<string, unknown>;
  const candidate = loaded[setup.exportName];
  if (typeof candidate === 'function') {
    task = candidate as typeof task;
    post({ type: 'ready' });
  } else {
    const functions = Object.keys(loaded).filter((key) => typeof loaded[key] === 'function');
    post({ type: 'missing-export', found: typeof candidate, functions });
  }
} catch (error) {
  post({ type: 'load-failed', error: serializeError(error) });
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'abort') {
    controller.abort(deserializeError(message.reason));
    return;
  }
  if (task === undefined) return;
  void run(task);
});

async function run(fn: NonNullable<typeof task>): Promise<void> {
  let outcome: FromWorker;
  try {
    const value = await fn(runner, setup.data);
    barrier.finish(setup.index);
    outcome = { type: 'done', ok: true, value };
  } catch (error) {
    // Failing on the barrier first records this failure's order (and wakes the waiters),
    // so the main thread can tell the root failure from the ones it caused.
    barrier.fail(setup.index);
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
