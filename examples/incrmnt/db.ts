/**
 * Incrmnt's storage, in two flavours: `db` answers synchronously (an in-process store),
 * `asyncDb` answers with promises, like a client of a remote database. The application
 * code in `incrmnt.ts` calls both through these exported objects, so a test can hook
 * `db.getCount` and every caller sees the hook.
 */

/** Thrown by `getLock()` when another request holds the counter's lock: fail fast, no waiting. */
export class CouldNotLock extends Error {
  override readonly name = 'CouldNotLock';
}

function createState() {
  return { count: 0, locked: false };
}

const state = createState();

/** The synchronous store. */
export const db = {
  /** Puts the counter back to 0 and releases the lock (call it before each test). */
  reset(): void {
    Object.assign(state, createState());
  },
  getCount(): number {
    return state.count;
  },
  setCount(count: number): void {
    state.count = count;
  },
  /** The atomic fix: read and write in one operation of the store. */
  incrementCount(): number {
    return ++state.count;
  },
  /** Takes the counter's lock, or throws `CouldNotLock` at once if it is held. */
  getLock(): Disposable {
    if (state.locked) throw new CouldNotLock('the counter is locked by another request');
    state.locked = true;
    return {
      [Symbol.dispose]() {
        state.locked = false;
      },
    };
  },
};

const remote = createState();

/** The tail of the queue for `acquireLock`: resolves when the last holder has released. */
let lockQueue: Promise<void> = Promise.resolve();

/** One round trip to the "server": the answer arrives on a later turn of the microtask queue. */
async function roundTrip<T>(answer: () => T): Promise<T> {
  await Promise.resolve();
  return answer();
}

/** The asynchronous store, shaped like a database client. */
export const asyncDb = {
  reset(): void {
    Object.assign(remote, createState());
    lockQueue = Promise.resolve();
  },
  getCount(): Promise<number> {
    return roundTrip(() => remote.count);
  },
  setCount(count: number): Promise<void> {
    return roundTrip(() => {
      remote.count = count;
    });
  },
  incrementCount(): Promise<number> {
    return roundTrip(() => ++remote.count);
  },
  /** Takes the counter's lock, waiting in line while another request holds it. */
  acquireLock(): Promise<AsyncDisposable> {
    const previous = lockQueue;
    let release!: () => void;
    lockQueue = new Promise((resolve) => {
      release = resolve;
    });
    return previous.then(() =>
      roundTrip(() => ({ [Symbol.asyncDispose]: () => roundTrip(release) })),
    );
  },
  getLock(): Promise<AsyncDisposable> {
    return roundTrip(() => {
      if (remote.locked) throw new CouldNotLock('the counter is locked by another request');
      remote.locked = true;
      return {
        [Symbol.asyncDispose]: () =>
          roundTrip(() => {
            remote.locked = false;
          }),
      };
    });
  },
};
