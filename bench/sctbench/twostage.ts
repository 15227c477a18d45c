/**
 * twostage_bad.c (one writer and one reader) and twostage_100_bad.c (99 writers, one
 * reader): a writer sets data1 under one mutex, then data2 = data1 + 1 under another; the
 * reader, if data1 is set, reads both and asserts data2 = data1 + 1. The two stages are
 * separate critical sections, so the reader can run between them (one preemption).
 * `fixed`: the writer takes the second mutex before it lets go of the first.
 */
import { fragment, type SctProgram } from './program.ts';
import { assert, type Cell, type Mutex, type PortOptions, Shared } from './support.ts';

interface State {
  data1Lock: Mutex;
  data2Lock: Mutex;
  data1: Cell<number>;
  data2: Cell<number>;
}

function twostage(options: PortOptions | undefined, writers: number, variant: 'bad' | 'fixed') {
  async function funcA(s: State) {
    await s.data1Lock.lock();
    await s.data1.set(1);
    if (variant === 'bad') await s.data1Lock.unlock();
    await s.data2Lock.lock();
    await s.data2.set((await s.data1.get()) + 1);
    await s.data2Lock.unlock();
    if (variant === 'fixed') await s.data1Lock.unlock();
  }
  async function funcB(s: State) {
    await s.data1Lock.lock();
    if ((await s.data1.get()) === 0) {
      await s.data1Lock.unlock();
      return;
    }
    const t1 = await s.data1.get();
    await s.data1Lock.unlock();
    await s.data2Lock.lock();
    const t2 = await s.data2.get();
    await s.data2Lock.unlock();
    assert(t2 === t1 + 1, `read data1 ${t1}, then data2 ${t2}`);
  }
  return fragment({
    setup: (): State => {
      const shared = new Shared(options);
      return {
        data1Lock: shared.mutex('data1Lock'),
        data2Lock: shared.mutex('data2Lock'),
        data1: shared.cell('data1Value', 0),
        data2: shared.cell('data2Value', 0),
      };
    },
    tasks: [...Array.from({ length: writers }, () => funcA), funcB],
  });
}

function twostageOf(name: string, writers: number): SctProgram {
  return {
    name,
    original: `${name}_bad.c`,
    threads: writers + 1,
    bound: 1,
    bug: 'assertion',
    spec: (options) => twostage(options, writers, 'bad'),
    fixed: (options) => twostage(options, writers, 'fixed'),
  };
}

export const twostageProgram = twostageOf('twostage', 1);
export const twostage100Program = twostageOf('twostage_100', 99);
