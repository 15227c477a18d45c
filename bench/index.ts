/**
 * `npm run bench`: runs every benchmark and prints ratios measured within one run (these
 * machines are shared and noisy, so absolute times mean little; ratios within a run do).
 * `BENCH_TIME=ms` sets the time per measured task (default 1000).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
