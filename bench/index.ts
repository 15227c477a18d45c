/**
 * `npm run bench`: runs every benchmark and prints ratios measured within one run (these
 * machines are shared and noisy, so absolute times mean little; ratios within a run do).
 * `BENCH_TIME=ms` sets the time per measured task (default 1000).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchAsyncBarrier, benchWorkerBarrier } from './barrier.bench.ts';
import { benchDeadlock } from './deadlock.bench.ts';
import { type CaseResult, hookCases } from './hooks.bench.ts';

const time = Number(process.env.BENCH_TIME ?? 1000);
const hooksFile = fileURLToPath(new URL('./hooks.bench.ts', import.meta.url));

console.log(`interleave benchmarks, Node ${process.version}, ${time} ms per task\n`);
console.log('Hook wrapper overhead on an async method, hook armed but not firing (target <= 1.5x)');
console.log('(each case in its own process, against a plain call measured in that process)');
for (const name of Object.keys(hookCases)) {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', hooksFile, name, String(time)],
    {
      encoding: 'utf8',
    },
  );
  const row = JSON.parse(output.trim().split('\n').pop() ?? '') as CaseResult;
  console.log(
    `  ${row.name.padEnd(52)} plain ${row.plainNs.toFixed(1).padStart(6)} ns` +
      `  hooked ${row.hookedNs.toFixed(1).padStart(6)} ns  ${row.ratio.toFixed(2)}x`,
  );
}

console.log('\nrunInParallel: async barrier crossing (all tasks through once), median of 5 runs');
for (const tasks of [2, 64]) {
  const r = await benchAsyncBarrier(tasks, tasks === 2 ? 20_000 : 2_000, 5);
  console.log(
    `  ${String(tasks).padStart(2)} tasks: ${r.nsPerCrossing.toFixed(0).padStart(7)} ns per crossing, ` +
      `${r.nsPerTaskCrossing.toFixed(0).padStart(5)} ns per task; ${r.ratioToPlainAwait.toFixed(2)}x ` +
      `the same tasks doing a plain await`,
  );
}

console.log(
  '\nrunInWorkers: barrier round trip between 2 threads (thread start-up excluded), median of 5 runs',
);
const w = await benchWorkerBarrier(20_000, 5);
console.log(
  `  Atomics barrier, awaitSync: ${w.atomicsNsPerRoundTrip.toFixed(0).padStart(6)} ns  ${w.ratioAtomicsToMessagePort.toFixed(2)}x MessagePort`,
);
console.log(
  `  Atomics barrier, await:     ${w.asyncNsPerRoundTrip.toFixed(0).padStart(6)} ns  ${w.ratioAsyncToMessagePort.toFixed(2)}x MessagePort`,
);
console.log(
  `  MessagePort ping-pong:      ${w.messagePortNsPerRoundTrip.toFixed(0).padStart(6)} ns  1.00x`,
);

console.log('\nThe seed deadlock on PostgreSQL: with a barrier vs a brute-force loop without one');
const d = await benchDeadlock();
console.log(
  `  (medians over ${d.trials} trials, each until the first deadlock; brute force capped at ${d.cap.attempts} attempts or ${d.cap.ms} ms)`,
);
console.log(
  `  with runInParallel's barrier: ${d.barrierAttempts} attempt(s), ${d.barrierMs.toFixed(0)} ms`,
);
console.log(
  `  brute force, no barrier:      ${d.bruteAttempts} attempt(s), ${d.bruteMs.toFixed(0)} ms ` +
    `(${(d.bruteMs / d.barrierMs).toFixed(1)}x the time; ${d.bruteCapped} of ${d.trials} trials found none)`,
);
console.log(
  `  deadlocks per ${d.rateAttempts} attempts: ${d.barrierDeadlocks} with the barrier, ${d.bruteDeadlocks} without`,
);
