// `npm run test:repeat [-- N] [files...]`: runs the race reproduction tests N times in a row
// (default 50), each run in a fresh Vitest process, and stops at the first failure. A race
// test that is not red or green the same way every time is a defect of this project.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const times = args[0] !== undefined && /^\d+$/.test(args[0]) ? Number(args.shift()) : 50;
const files = args; // default: the whole suite, examples included

const started = Date.now();
for (let run = 1; run <= times; run++) {
  const result = spawnSync('npx', ['vitest', 'run', '--reporter=dot', ...files], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  if (result.status !== 0) {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    console.error(`\nrun ${run} of ${times} FAILED`);
    process.exit(1);
  }
  process.stdout.write(run % 10 === 0 ? `${run}\n` : '.');
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const what = files.length > 0 ? files.join(' ') : 'the whole suite';
console.log(`\n${times} runs in a row of ${what}, each in a fresh process (${seconds} s):`);
console.log(`${times} passed, 0 failed`);
