/**
 * wronglock_bad.c: one thread increments a counter under dataLock and asserts that nobody
 * changed it meanwhile; seven others increment it under another mutex, thisLock, which
 * excludes nothing. One preemption (inside the first thread's increment).
 * `fixed`: every thread takes dataLock.
 */
import { fragment, type SctProgram } from './program.ts';
import { assert, type Cell, type Mutex, type PortOptions, Shared } from './support.ts';

const OTHERS = 7;

interface State {
  dataLock: Mutex;
  thisLock: Mutex;
  dataValue: Cell<number>;
}

function wronglock(options: PortOptions | undefined, variant: 'bad' | 'fixed') {
  async function funcA(s: State) {
    await s.dataLock.lock();
    const x = await s.dataValue.get();
    await s.dataValue.set((await s.dataValue.get()) + 1);
    const now = await s.dataValue.get();
    assert(now === x + 1, `read ${x}, incremented, then read ${now}`);
    await s.dataLock.unlock();
  }
  async function funcB(s: State) {
    const lock = variant === 'bad' ? s.thisLock : s.dataLock;
    await lock.lock();
    await s.dataValue.set((await s.dataValue.get()) + 1);
    await lock.unlock();
  }
  return fragment({
    setup: (): State => {
      const shared = new Shared(options);
      return {
        dataLock: shared.mutex('dataLock'),
        thisLock: shared.mutex('thisLock'),
        dataValue: shared.cell('dataValue', 0),
      };
    },
    tasks: [funcA, ...Array.from({ length: OTHERS }, () => funcB)],
  });
}

export const wronglockProgram: SctProgram = {
  name: 'wronglock',
  original: 'wronglock_bad.c',
  threads: 1 + OTHERS,
  bound: 1,
  bug: 'assertion',
  spec: (options) => wronglock(options, 'bad'),
  fixed: (options) => wronglock(options, 'fixed'),
};
