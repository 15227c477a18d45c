/**
 * What one barrier crossing costs.
 *
 * - `runInParallel`: N tasks cross the async barrier R times; reported per crossing (all N
 *   tasks through) and per task, and as a ratio to N tasks each doing a plain
 *   `await Promise.resolve()` R times (the least any async hand-off costs).
 * - `runInWorkers`: 2 threads cross the SharedArrayBuffer barrier R times (Atomics), against
 *   a MessagePort ping-pong between 2 threads with R round trips, the usual way to make two
 *   threads wait for each other.
 *
 * Each figure is the median of several runs, measured in this one process.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { runInParallel, runInWorkers, type Runner } from 'interleave';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timeMs(fn: () => Promise<unknown>, repeats: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

export interface AsyncBarrierResult {
  tasks: number;
  rounds: number;
  nsPerCrossing: number;
  nsPerTaskCrossing: number;
  ratioToPlainAwait: number;
}

export async function benchAsyncBarrier(
  tasks: number,
  rounds: number,
  repeats: number,
): Promise<AsyncBarrierResult> {
  const crossing = async (runner: Runner) => {
    for (let i = 0; i < rounds; i++) await runner.await();
  };
  const plain = async () => {
    for (let i = 0; i < rounds; i++) await Promise.resolve();
  };
  const barrierMs = await timeMs(
    () => runInParallel(Array.from({ length: tasks }, () => crossing)),
    repeats,
  );
  const plainMs = await timeMs(
    () => Promise.all(Array.from({ length: tasks }, () => plain())),
    repeats,
  );
  const nsPerCrossing = (barrierMs * 1e6) / rounds;
  return {
    tasks,
    rounds,
    nsPerCrossing,
    nsPerTaskCrossing: nsPerCrossing / tasks,
    ratioToPlainAwait: barrierMs / plainMs,
  };
}

export interface WorkerBarrierResult {
  rounds: number;
  atomicsNsPerRoundTrip: number;
  asyncNsPerRoundTrip: number;
  messagePortNsPerRoundTrip: number;
  ratioAtomicsToMessagePort: number;
  ratioAsyncToMessagePort: number;
}

/** Two threads: one sends `ping`, the other answers `pong`, `rounds` times. */
async function messagePortPingPong(rounds: number): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  const code = `
    const { workerData } = require('node:worker_threads');
    const port = workerData.port;
    let seen = 0;
    port.on('message', () => { seen++; port.postMessage(seen); if (seen === workerData.rounds) port.close(); });
  `;
  const worker = new Worker(code, {
    eval: true,
    workerData: { port: port2, rounds },
    transferList: [port2],
  });
  // Let the thread start before timing, as the barrier runs also exclude thread start-up.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const start = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    let answered = 0;
    port1.on('message', () => {
      answered++;
      if (answered === rounds) resolve();
      else port1.postMessage('ping');
    });
    port1.postMessage('ping');
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  port1.close();
  await worker.terminate();
  return ms;
}

export async function benchWorkerBarrier(
  rounds: number,
  repeats: number,
): Promise<WorkerBarrierResult> {
  const tasks = new URL('./fixtures/barrier-tasks.mjs', import.meta.url);
  // Thread start-up is the same for every run: measure it with 0 rounds and subtract it.
  const startup = await timeMs(
    () => runInWorkers(tasks, { tasks: ['crossSync', 'crossSync'], data: { rounds: 0 } }),
    repeats,
  );
  const syncMs = await timeMs(
    () => runInWorkers(tasks, { tasks: ['crossSync', 'crossSync'], data: { rounds } }),
    repeats,
  );
  const asyncMs = await timeMs(
    () => runInWorkers(tasks, { tasks: ['crossAsync', 'crossAsync'], data: { rounds } }),
    repeats,
  );
  const portTimes: number[] = [];
  for (let i = 0; i < repeats; i++) portTimes.push(await messagePortPingPong(rounds));
  const portMs = median(portTimes);
  const atomicsNs = (Math.max(syncMs - startup, 0) * 1e6) / rounds;
  const asyncNs = (Math.max(asyncMs - startup, 0) * 1e6) / rounds;
  const portNs = (portMs * 1e6) / rounds;
  return {
    rounds,
    atomicsNsPerRoundTrip: atomicsNs,
    asyncNsPerRoundTrip: asyncNs,
    messagePortNsPerRoundTrip: portNs,
    ratioAtomicsToMessagePort: atomicsNs / portNs,
    ratioAsyncToMessagePort: asyncNs / portNs,
  };
}
