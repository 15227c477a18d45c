/**
 * `npm run bench`: runs every benchmark and prints ratios measured within one run (these
 * machines are shared and noisy, so absolute times mean little; ratios within a run do).
 * It measures the built package (dist/), as users run it: `npm run bench` builds first.
 * `BENCH_TIME=ms` sets the time per measured task (default 1000). The SCTBench table stops
 * each cell at `BENCH_SCT_RUNS` schedules (default 10,000) or `BENCH_SCT_SECONDS` (default 30).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchAsyncBarrier, benchWorkerBarrier } from './barrier.bench.ts';
import { benchDeadlock } from './deadlock.bench.ts';
import { benchQuietDeadlock } from './quiet-deadlock.bench.ts';
import {
  benchCheckpointOutside,
  benchExploreSearch,
  benchExploreThroughput,
} from './explore.bench.ts';
import { type CaseResult, hookCases } from './hooks.bench.ts';
import { benchRegister, benchRegisterLarge } from './register.bench.ts';
import { benchSctbench, markdownTable, textHeader, textRow } from './sctbench.bench.ts';

const time = Number(process.env.BENCH_TIME ?? 1000);
const hooksFile = fileURLToPath(new URL('./hooks.bench.ts', import.meta.url));
const benchTsconfig = fileURLToPath(new URL('./tsconfig.run.json', import.meta.url));

console.log(`interleave benchmarks, Node ${process.version}, ${time} ms per task\n`);
console.log('Hook wrapper overhead on an async method, hook armed but not firing (target <= 1.5x)');
console.log('(each case in its own process, against a plain call measured in that process)');
for (const name of Object.keys(hookCases)) {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', hooksFile, name, String(time)],
    {
      encoding: 'utf8',
      // The same build of interleave as this process (see bench/tsconfig.run.json).
      env: { ...process.env, TSX_TSCONFIG_PATH: benchTsconfig },
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

console.log(
  '\nexplore reporting an in-memory lock-order deadlock (two async-mutex locks, default options; target < 100 ms)',
);
const q = await benchQuietDeadlock();
const fmt = (x: { median: number; min: number; max: number }) =>
  `median ${x.median.toFixed(1)} ms (${x.min.toFixed(1)}-${x.max.toFixed(1)})`;
console.log(`  cold, a fresh process each (${q.processes}): ${fmt(q.cold)}`);
console.log(`  warm, one process (${q.warmRuns} calls):   ${fmt(q.warm)}`);

console.log('\ncheckpoint() outside explore (left in application code), median of 5');
const c = await benchCheckpointOutside(200_000, 5);
console.log(
  `  async function awaiting checkpoint(): ${c.checkpointNs.toFixed(1)} ns, awaiting a resolved promise: ` +
    `${c.plainNs.toFixed(1)} ns: ${c.ratio.toFixed(2)}x`,
);

console.log("\nexplore vs fast-check's scheduler (fc.scheduler()), the same programs");
const t = await benchExploreThroughput(10_000, 5);
console.log(
  `  Incrmnt, schedules per second (median of 5 x ${t.runs}): interleave ${t.interleavePerSecond.toFixed(0)}, ` +
    `fast-check ${t.fastCheckPerSecond.toFixed(0)}: ${t.ratio.toFixed(2)}x (target >= 2x)`,
);
console.log(
  `    (lost updates seen: ${(t.interleaveLostShare * 100).toFixed(0)}% of interleave's schedules, ` +
    `${(t.fastCheckLostShare * 100).toFixed(0)}% of fast-check's)`,
);
const s = await benchExploreSearch(10);
console.log(
  `  3 tasks x 10 steps, a bug needing a priority change: mean schedules to find it over ${s.seeds} seeds: ` +
    `interleave pct ${s.interleaveMean.toFixed(1)}, fast-check ${s.fastCheckMean.toFixed(1)}: ` +
    `${s.ratio.toFixed(1)}x fewer (target >= 5x)${s.fastCheckCapped > 0 ? `; fast-check hit the cap on ${s.fastCheckCapped} seeds` : ''}`,
);

console.log('\ninterleave/register: importing a tree of project modules, median of 9 processes');
const r = benchRegister(9);
console.log(
  `  ${r.modules} modules: ${r.plainMs.toFixed(1)} ms plain, ${r.registerMs.toFixed(1)} ms with ` +
    `--import interleave/register: ${r.ratio.toFixed(2)}x`,
);
const large = benchRegisterLarge(3);
console.log(
  `  one ${large.megabytes.toFixed(1)} MB module with ${large.exports} exports: ` +
    `${large.plainMs.toFixed(0)} ms and ${large.plainRssMb.toFixed(0)} MB peak RSS plain, ` +
    `${large.registerMs.toFixed(0)} ms and ${large.registerRssMb.toFixed(0)} MB with the loader ` +
    `(${(large.registerMs / large.plainMs).toFixed(2)}x the time)`,
);

const sctRuns = Number(process.env.BENCH_SCT_RUNS ?? 10_000);
const sctSeconds = Number(process.env.BENCH_SCT_SECONDS ?? 30);
console.log(
  `\nSCTBench concurrent-software-benchmarks: schedules until the bug (each cell stops at ` +
    `${sctRuns} schedules or ${sctSeconds} s; '>n' found none in n)`,
);
console.log(`  ${textHeader()}`);
const sct = await benchSctbench(sctRuns, sctSeconds, (row) => {
  console.log(`  ${textRow(row)}`);
});
console.log('\nThe same table in markdown (for docs/explore.md):\n');
console.log(markdownTable(sct));
