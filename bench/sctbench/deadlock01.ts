/**
 * deadlock01_bad.c: two threads take mutexes a and b in opposite orders. One preemption
 * (after the first thread took a) and each waits for the other's mutex.
 * `fixed` takes them in the same order in both threads.
 */
import { fragment, type SctProgram } from './program.ts';
import { type Cell, type Mutex, type PortOptions, Shared } from './support.ts';

interface State {
  a: Mutex;
  b: Mutex;
  counter: Cell<number>;
}

function deadlock01(options: PortOptions | undefined, variant: 'bad' | 'fixed') {
  return fragment({
    setup: (): State => {
      const shared = new Shared(options);
      return { a: shared.mutex('a'), b: shared.mutex('b'), counter: shared.cell('counter', 1) };
    },
    tasks: [
      async function thread1(s) {
        await s.a.lock();
        await s.b.lock();
        await s.counter.set((await s.counter.get()) + 1);
        await s.b.unlock();
        await s.a.unlock();
      },
      async function thread2(s) {
        const [outer, inner] = variant === 'bad' ? [s.b, s.a] : [s.a, s.b];
        await outer.lock();
        await inner.lock();
        await s.counter.set((await s.counter.get()) - 1);
        await inner.unlock();
        await outer.unlock();
      },
    ],
  });
}

export const deadlock01Program: SctProgram = {
  name: 'deadlock01',
  original: 'deadlock01_bad.c',
  threads: 2,
  bound: 1,
  bug: 'deadlock',
  spec: (options) => deadlock01(options, 'bad'),
  fixed: (options) => deadlock01(options, 'fixed'),
};
