// The race scenarios every test runner must run the same way. Each returns what it observed;
// the runner-specific files assert on it with that runner's own API.
import {
  after,
  BarrierError,
  explore,
  ParallelError,
  RaceError,
  runInParallel,
  yieldAt,
} from 'interleave';
import { isDeadlock } from 'interleave/db';

/** Incrmnt: a hook wedges a second increment between the read and the write. */
export function lostUpdate() {
  const db = {
    count: 0,
    getCount() {
      return this.count;
    },
    setCount(n) {
      this.count = n;
    },
  };
  const original = db.getCount;
  const increment = () => db.setCount(db.getCount() + 1);
  const hook = after(db, 'getCount', () => increment());
  increment();
  return { count: db.count, fired: hook.fired, restored: db.getCount === original };
}

/** Box: two tasks check, meet at the barrier, then both add. */
export async function boxRace() {
  const box = { items: ['apple'], capacity: 2 };
  const add = (item) => async (runner) => {
    const hasCapacity = box.items.length < box.capacity;
    await runner.await();
    if (hasCapacity) box.items.push(item);
  };
  await runInParallel(add('banana'), add('orange'));
  return box.items;
}

/** A barrier that one task never reaches must fail cleanly, fast, with our error. */
export async function barrierTimeout() {
  try {
    await runInParallel(
      [
        async (runner) => runner.await('ready'),
        (runner) =>
          new Promise((_, reject) => {
            runner.signal.addEventListener('abort', () => reject(new Error('cancelled')));
          }),
      ],
      { timeout: 50 },
    );
  } catch (error) {
    const first = error instanceof ParallelError ? error.failures[0]?.error : undefined;
    return {
      parallelError: error instanceof ParallelError,
      code: first instanceof BarrierError ? first.code : undefined,
      message: first instanceof Error ? first.message.split('\n')[0] : undefined,
    };
  }
  return { parallelError: false, code: undefined, message: undefined };
}

/** interleave/db resolves and classifies. */
export function classifiers() {
  return isDeadlock({ code: '40P01' }) && !isDeadlock(new Error('deadlock detected'));
}

/** A task that fails: the run must fail with our ParallelError message. */
export async function failingRace() {
  await runInParallel(
    async (runner) => runner.await(),
    () => {
      throw new Error('the task that breaks the race');
    },
  );
}

/** Incrmnt on an async store, as an explore spec: two requests, each store call a point. */
function incrmntSpec() {
  const db = {
    count: 0,
    async getCount() {
      return this.count;
    },
    async setCount(n) {
      this.count = n;
    },
  };
  const increment = async () => db.setCount((await db.getCount()) + 1);
  return {
    setup: () => {
      db.count = 0;
    },
    points: () => {
      yieldAt(db, 'getCount');
      yieldAt(db, 'setCount');
    },
    tasks: [increment, increment],
    check: () => {
      if (db.count !== 2) throw new Error(`explore's lost update: count ${db.count}`);
    },
  };
}

/** explore finds the lost update, and its token replays to the same trace. */
export async function exploreRace() {
  const spec = incrmntSpec();
  const found = await explore(spec).catch((error) => error);
  if (!(found instanceof RaceError)) return { found: false };
  const again = await explore({ ...spec, replay: found.replay }).catch((error) => error);
  return {
    found: true,
    code: found.code,
    preemptions: found.preemptions,
    replayed:
      again instanceof RaceError && JSON.stringify(again.trace) === JSON.stringify(found.trace),
  };
}

/** explore's failure as a test's failure: the test must fail with the RaceError's message. */
export async function failingExplore() {
  await explore(incrmntSpec());
}
