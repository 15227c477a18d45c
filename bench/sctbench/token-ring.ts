/**
 * token_ring_bad.c: three threads each copy a value around a ring in one atomic section
 * (x1 = (x3 + 1) % 4, x2 = x1, x3 = x2) and raise their flag; a fourth asserts, once all
 * flags are up, that the three values agree. They agree only for some orders of the three
 * sections, so the bug needs no preemption, only an unlucky order.
 */
import { fragment, type SctProgram } from './program.ts';
import { assert, type Cell, type Mutex, type PortOptions, Shared } from './support.ts';

interface State {
  atomic: Mutex;
  x1: Cell<number>;
  x2: Cell<number>;
  x3: Cell<number>;
  flag1: Cell<boolean>;
  flag2: Cell<boolean>;
  flag3: Cell<boolean>;
}

function tokenRing(options?: PortOptions) {
  return fragment({
    setup: (): State => {
      const shared = new Shared(options);
      return {
        atomic: shared.mutex('atomic'),
        x1: shared.cell('x1', 1),
        x2: shared.cell('x2', 2),
        x3: shared.cell('x3', 1),
        flag1: shared.cell('flag1', false),
        flag2: shared.cell('flag2', false),
        flag3: shared.cell('flag3', false),
      };
    },
    tasks: [
      async function t1(s) {
        await s.atomic.lock();
        await s.x1.set(((await s.x3.get()) + 1) % 4);
        await s.flag1.set(true);
        await s.atomic.unlock();
      },
      async function t2(s) {
        await s.atomic.lock();
        await s.x2.set(await s.x1.get());
        await s.flag2.set(true);
        await s.atomic.unlock();
      },
      async function t3(s) {
        await s.atomic.lock();
        await s.x3.set(await s.x2.get());
        await s.flag3.set(true);
        await s.atomic.unlock();
      },
      async function t4(s) {
        await s.atomic.lock();
        if ((await s.flag1.get()) && (await s.flag2.get()) && (await s.flag3.get())) {
          const agree =
            (await s.x1.get()) === (await s.x2.get()) && (await s.x2.get()) === (await s.x3.get());
          assert(agree, `x1 ${s.x1.value}, x2 ${s.x2.value}, x3 ${s.x3.value}`);
        }
        await s.atomic.unlock();
      },
    ],
  });
}

export const tokenRingProgram: SctProgram = {
  name: 'token_ring',
  original: 'token_ring_bad.c',
  threads: 4,
  bound: 0,
  bug: 'assertion',
  spec: tokenRing,
};
