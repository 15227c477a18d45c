import { checkpoint, RaceError } from 'interleave';

/** The RaceError `promise` rejects with; anything else fails the test. */
export async function raceOf(promise: Promise<unknown>): Promise<RaceError> {
  const outcome = await promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if ('error' in outcome && outcome.error instanceof RaceError) return outcome.error;
  throw new Error(
    `expected a RaceError, got ${'error' in outcome ? String(outcome.error) : 'a resolved explore()'}`,
    {
      cause: 'error' in outcome ? outcome.error : undefined,
    },
  );
}

/** A minimal async mutex: waiters queue up; nothing here is a scheduling point. */
export class Mutex {
  readonly name: string;
  #locked = false;
  readonly #waiters: (() => void)[] = [];

  constructor(name: string) {
    this.name = name;
  }

  async lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}

/** Two async mutexes, and two tasks that lock them in opposite order: an in-memory deadlock. */
export function lockOrderInversion() {
  return {
    setup: () => ({ a: new Mutex('a'), b: new Mutex('b') }),
    tasks: [
      async function transfer({ a, b }: { a: Mutex; b: Mutex }) {
        await a.lock();
        await checkpoint('holds a');
        await b.lock();
        b.unlock();
        a.unlock();
      },
      async function refund({ a, b }: { a: Mutex; b: Mutex }) {
        await b.lock();
        await checkpoint('holds b');
        await a.lock();
        a.unlock();
        b.unlock();
      },
    ],
  };
}

/** `Promise.withResolvers()`, which Node 20 lacks. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}
