/**
 * sync01_bad.c: a producer waits on condition `empty` while num > 0, a consumer on `full`
 * while num == 0; num starts at 1 and the consumer never takes from it, so the producer
 * waits for ever, whatever the order: a deadlock in every schedule (bound 0).
 * `fixed` is sync01_ok.c: num starts at 0 and the consumer decrements it.
 */
import { fragment, type SctProgram } from './program.ts';
import { type Cell, type Condition, type Mutex, type PortOptions, Shared } from './support.ts';

interface State {
  m: Mutex;
  empty: Condition;
  full: Condition;
  num: Cell<number>;
}

function sync01(options: PortOptions | undefined, variant: 'bad' | 'ok') {
  return fragment({
    setup: (): State => {
      const shared = new Shared(options);
      return {
        m: shared.mutex('m'),
        empty: shared.condition('empty'),
        full: shared.condition('full'),
        num: shared.cell('num', variant === 'bad' ? 1 : 0),
      };
    },
    tasks: [
      async function producer(s) {
        await s.m.lock();
        while ((await s.num.get()) > 0) await s.empty.wait(s.m);
        await s.num.set((await s.num.get()) + 1);
        await s.m.unlock();
        await s.full.signal();
      },
      async function consumer(s) {
        await s.m.lock();
        while ((await s.num.get()) === 0) await s.full.wait(s.m);
        if (variant === 'ok') await s.num.set((await s.num.get()) - 1);
        await s.m.unlock();
        await s.empty.signal();
      },
    ],
  });
}

export const sync01Program: SctProgram = {
  name: 'sync01',
  original: 'sync01_bad.c',
  threads: 2,
  bound: 0,
  bug: 'deadlock',
  spec: (options) => sync01(options, 'bad'),
  fixed: (options) => sync01(options, 'ok'),
};
