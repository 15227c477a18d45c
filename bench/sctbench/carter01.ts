/**
 * carter01_bad.c: a class-A and a class-B thread each count themselves in under mutex m and
 * the first of its class takes mutex l; two more threads do nothing. Thread B can take m and
 * then wait for l, which thread A holds while it waits for m: a deadlock, one preemption
 * away (A switched out after taking l).
 */
import { fragment, type SctProgram } from './program.ts';
import { type Cell, type Mutex, type PortOptions, Shared } from './support.ts';

interface State {
  m: Mutex;
  l: Mutex;
  a: Cell<number>;
  b: Cell<number>;
}

/** One class's thread: in, (its operation), out; the class's first in takes l, last out frees it. */
async function member(m: Mutex, l: Mutex, count: Cell<number>): Promise<void> {
  await m.lock();
  await count.set((await count.get()) + 1);
  if ((await count.get()) === 1) await l.lock();
  await m.unlock();
  await m.lock();
  await count.set((await count.get()) - 1);
  if ((await count.get()) === 0) await l.unlock();
  await m.unlock();
}

function carter01(options?: PortOptions) {
  return fragment({
    setup: (): State => {
      const shared = new Shared(options);
      return {
        m: shared.mutex('m'),
        l: shared.mutex('l'),
        a: shared.cell('A', 0),
        b: shared.cell('B', 0),
      };
    },
    tasks: [
      async function classA(s) {
        await member(s.m, s.l, s.a);
      },
      async function classB(s) {
        await member(s.m, s.l, s.b);
      },
      async function idle3() {
        // The original's t3 does nothing.
      },
      async function idle4() {
        // The original's t4 does nothing.
      },
    ],
  });
}

export const carter01Program: SctProgram = {
  name: 'carter01',
  original: 'carter01_bad.c',
  threads: 4,
  bound: 1,
  bug: 'deadlock',
  spec: carter01,
};
