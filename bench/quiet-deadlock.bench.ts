/**
 * How long a whole `explore` call takes to report a lock-order deadlock between two
 * `async-mutex` locks, with default options: in a fresh process (the first explore of a test
 * file, module loading excluded) and warm (the same process, again and again). Before the
 * quiet check, each blocked step waited out `stepTimeout` and the deadlock 5 more, about 8 s.
 *
 * Run directly (`node --import tsx bench/quiet-deadlock.bench.ts once`), it times one call
 * and prints it as JSON: `bench/index.ts` runs it in fresh processes for the cold figure.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Mutex } from 'async-mutex';
import { explore, RaceError, yieldAt } from 'interleave';

/** Wall time of one `explore` call until it rejects with ERR_DEADLOCK, in ms. */
async function timeOne(): Promise<number> {
  const started = performance.now();
  const error = await explore({
    setup: () => ({ a: new Mutex(), b: new Mutex() }),
    points: () => {
      yieldAt(Mutex.prototype, 'runExclusive');
    },
    tasks: [
      ({ a, b }: { a: Mutex; b: Mutex }) => a.runExclusive(() => b.runExclusive(() => 'moved')),
      ({ a, b }: { a: Mutex; b: Mutex }) => b.runExclusive(() => a.runExclusive(() => 'back')),
    ],
  }).catch((e: unknown) => e);
  const ms = performance.now() - started;
  if (!(error instanceof RaceError) || error.code !== 'ERR_DEADLOCK') {
    throw new Error('the lock-order deadlock was not reported as ERR_DEADLOCK', { cause: error });
  }
  return ms;
}

/** Median, minimum and maximum of `values`. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((x, y) => x - y);
  return {
    median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export interface QuietDeadlockResult {
  cold: Spread;
  warm: Spread;
  processes: number;
  warmRuns: number;
}

export async function benchQuietDeadlock(
  processes = 5,
  warmRuns = 30,
): Promise<QuietDeadlockResult> {
  const file = fileURLToPath(import.meta.url);
  const tsconfig = fileURLToPath(new URL('./tsconfig.run.json', import.meta.url));
  const cold: number[] = [];
  for (let i = 0; i < processes; i++) {
    const output = execFileSync(process.execPath, ['--import', 'tsx', file, 'once'], {
      encoding: 'utf8',
      env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig },
    });
    cold.push((JSON.parse(output.trim().split('\n').pop() ?? '') as { ms: number }).ms);
  }
  const warm: number[] = [];
  await timeOne();
  for (let i = 0; i < warmRuns; i++) warm.push(await timeOne());
  return { cold: spread(cold), warm: spread(warm), processes, warmRuns };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'once') {
  console.log(JSON.stringify({ ms: await timeOne() }));
}
