/**
 * explore against fast-check's scheduler (`fc.scheduler()`), on the same programs.
 *
 * - Throughput: schedules per second on Incrmnt (two requests, each reading then writing an
 *   in-memory async counter). interleave makes both calls scheduling points with `yieldAt`;
 *   fast-check wraps them with `s.scheduleFunction`. Neither stops at the lost update (the
 *   property only records it), so both run the same number of schedules.
 * - Search: schedules until the first failure on a 3-task ordering bug that needs a
 *   priority change (task 2 runs far ahead early, then task 0 finishes first), mean over
 *   seeds, for interleave's pct and fast-check's scheduler (each step awaits a scheduled
 *   promise there, a checkpoint here).
 */
import fc from 'fast-check';
import { checkpoint, explore, RaceError, yieldAt } from 'interleave';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Incrmnt's store, answering on a later microtask like a remote database. */
function createStore() {
  const store = {
    count: 0,
    async getCount(): Promise<number> {
      await Promise.resolve();
      return store.count;
    },
    async setCount(count: number): Promise<void> {
      await Promise.resolve();
      store.count = count;
    },
  };
  return store;
}

type Store = ReturnType<typeof createStore>;

async function increment(getCount: () => Promise<number>, setCount: (n: number) => Promise<void>) {
  const count = await getCount();
  await setCount(count + 1);
}

async function interleaveIncrmnt(runs: number): Promise<{ ms: number; lost: number }> {
  const store = createStore();
  let lost = 0;
  const start = performance.now();
  await explore({
    strategy: 'random',
    runs,
    setup: () => {
      store.count = 0;
    },
    points: () => {
      yieldAt(store, 'getCount');
      yieldAt(store, 'setCount');
    },
    tasks: [
      () =>
        increment(
          () => store.getCount(),
          (n) => store.setCount(n),
        ),
      () =>
        increment(
          () => store.getCount(),
          (n) => store.setCount(n),
        ),
    ],
    check: () => {
      if (store.count !== 2) lost++;
    },
  });
  return { ms: performance.now() - start, lost };
}

async function fastCheckIncrmnt(runs: number): Promise<{ ms: number; lost: number }> {
  let lost = 0;
  const start = performance.now();
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), async (s) => {
      const store: Store = createStore();
      // A scheduling point before each call, as yieldAt makes one. (s.scheduleFunction would
      // call the store at once and only delay the answer: every read would see 0.)
      const getCount = () => s.schedule(Promise.resolve(), 'getCount').then(() => store.getCount());
      const setCount = (n: number) =>
        s.schedule(Promise.resolve(), 'setCount').then(() => store.setCount(n));
      await s.waitFor(Promise.all([increment(getCount, setCount), increment(getCount, setCount)]));
      if (store.count !== 2) lost++;
    }),
    { numRuns: runs, seed: 1 },
  );
  return { ms: performance.now() - start, lost };
}

export interface CheckpointResult {
  plainNs: number;
  checkpointNs: number;
  ratio: number;
}

/**
 * What a `checkpoint()` left in application code costs outside explore: an async function
 * that awaits it, against the same function awaiting a resolved promise (the cheapest await).
 */
export async function benchCheckpointOutside(
  calls: number,
  repeats: number,
): Promise<CheckpointResult> {
  let sink = 0;
  const resolved = Promise.resolve();
  const plain = async (i: number) => {
    await resolved;
    sink += i;
  };
  const withCheckpoint = async (i: number) => {
    await checkpoint('after read');
    sink += i;
  };
  const time = async (fn: (i: number) => Promise<void>) => {
    const samples: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) await fn(i);
      samples.push(Number(process.hrtime.bigint() - start) / calls);
    }
    return median(samples);
  };
  await time(plain);
  await time(withCheckpoint);
  const plainNs = await time(plain);
  const checkpointNs = await time(withCheckpoint);
  if (sink < 0) throw new Error('unreachable');
  return { plainNs, checkpointNs, ratio: checkpointNs / plainNs };
}

export interface ThroughputResult {
  runs: number;
  interleavePerSecond: number;
  fastCheckPerSecond: number;
  ratio: number;
  interleaveLostShare: number;
  fastCheckLostShare: number;
}

export async function benchExploreThroughput(
  runs: number,
  repeats: number,
): Promise<ThroughputResult> {
  const ours: number[] = [];
  const theirs: number[] = [];
  let oursLost = 0;
  let theirsLost = 0;
  for (let i = 0; i < repeats; i++) {
    const a = await interleaveIncrmnt(runs);
    const b = await fastCheckIncrmnt(runs);
    ours.push(a.ms);
    theirs.push(b.ms);
    oursLost = a.lost;
    theirsLost = b.lost;
  }
  const interleavePerSecond = (runs * 1000) / median(ours);
  const fastCheckPerSecond = (runs * 1000) / median(theirs);
  return {
    runs,
    interleavePerSecond,
    fastCheckPerSecond,
    ratio: interleavePerSecond / fastCheckPerSecond,
    interleaveLostShare: oursLost / runs,
    fastCheckLostShare: theirsLost / runs,
  };
}

const STEPS = 10;
const CAP = 20_000;

/** The bug, on the progress counts of the three tasks: see the file comment. */
class OrderingBug {
  done = [0, 0, 0];
  aheadAtStart = -1;

  stepDone(task: number, step: number): void {
    this.done[task] = (this.done[task] ?? 0) + 1;
    if (task === 0 && step === 0) this.aheadAtStart = this.done[2] ?? 0;
  }

  failed(task: number): boolean {
    return task === 0 && this.aheadAtStart >= 6 && (this.done[2] ?? 0) < STEPS;
  }
}

async function interleaveRunsToFind(seed: number): Promise<number> {
  const worker = (task: number) => async (bug: OrderingBug) => {
    for (let step = 0; step < STEPS; step++) {
      await checkpoint();
      bug.stepDone(task, step);
    }
    if (bug.failed(task)) throw new Error('ordering bug');
  };
  try {
    await explore({
      strategy: 'pct',
      seed,
      runs: CAP,
      shrink: false,
      setup: () => new OrderingBug(),
      tasks: [worker(0), worker(1), worker(2)],
    });
  } catch (error) {
    if (error instanceof RaceError) return error.schedule;
    throw error;
  }
  return CAP;
}

async function fastCheckRunsToFind(seed: number): Promise<number> {
  const details = await fc.check(
    fc.asyncProperty(fc.scheduler(), async (s) => {
      const bug = new OrderingBug();
      let failed = false;
      const worker = async (task: number) => {
        for (let step = 0; step < STEPS; step++) {
          await s.schedule(Promise.resolve(), `task ${task} step ${step}`);
          bug.stepDone(task, step);
        }
        if (bug.failed(task)) failed = true;
      };
      await s.waitFor(Promise.all([worker(0), worker(1), worker(2)]));
      return !failed;
    }),
    { seed, numRuns: CAP, endOnFailure: true },
  );
  return details.failed ? details.numRuns : CAP;
}

export interface SearchResult {
  seeds: number;
  interleaveMean: number;
  fastCheckMean: number;
  ratio: number;
  fastCheckCapped: number;
}

export async function benchExploreSearch(seeds: number): Promise<SearchResult> {
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    ours.push(await interleaveRunsToFind(seed));
    theirs.push(await fastCheckRunsToFind(seed));
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    seeds,
    interleaveMean: mean(ours),
    fastCheckMean: mean(theirs),
    ratio: mean(theirs) / mean(ours),
    fastCheckCapped: theirs.filter((n) => n >= CAP).length,
  };
}
