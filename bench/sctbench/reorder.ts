/**
 * reorder_bad.c with its thread counts (reorder_3: 2 setters and 1 checker; reorder_10: 9
 * and 1; reorder_20: 10 and 10): each setter writes a = 1 then b = -1, each checker reads
 * them and asserts it saw both writes or neither. One preemption (a checker between a
 * setter's two writes, or a setter between a checker's reads). `fixed` makes the writes and
 * the reads critical sections of one mutex.
 */
import { fragment, type SctProgram } from './program.ts';
import { assert, type Cell, type Mutex, type PortOptions, Shared } from './support.ts';

interface State {
  a: Cell<number>;
  b: Cell<number>;
  m: Mutex;
}

/** The checker's condition, read in C's order (`&&` and `||` stop early). */
async function consistent(s: State): Promise<boolean> {
  if ((await s.a.get()) === 0 && (await s.b.get()) === 0) return true;
  return (await s.a.get()) === 1 && (await s.b.get()) === -1;
}

function reorder(
  options: PortOptions | undefined,
  setters: number,
  checkers: number,
  locked: boolean,
) {
  async function setThread(s: State) {
    if (locked) await s.m.lock();
    await s.a.set(1);
    await s.b.set(-1);
    if (locked) await s.m.unlock();
  }
  async function checkThread(s: State) {
    if (locked) await s.m.lock();
    const ok = await consistent(s);
    if (locked) await s.m.unlock();
    assert(ok, 'a checker saw one write of a setter without the other');
  }
  return fragment({
    setup: (): State => {
      const shared = new Shared(options);
      return { a: shared.cell('a', 0), b: shared.cell('b', 0), m: shared.mutex('m') };
    },
    tasks: [
      ...Array.from({ length: setters }, () => setThread),
      ...Array.from({ length: checkers }, () => checkThread),
    ],
  });
}

function reorderProgram(name: string, setters: number, checkers: number): SctProgram {
  return {
    name,
    original: `${name}_bad.c`,
    threads: setters + checkers,
    bound: 1,
    bug: 'assertion',
    spec: (options) => reorder(options, setters, checkers, false),
    fixed: (options) => reorder(options, setters, checkers, true),
  };
}

export const reorder3Program = reorderProgram('reorder_3', 2, 1);
export const reorder10Program = reorderProgram('reorder_10', 9, 1);
export const reorder20Program = reorderProgram('reorder_20', 10, 10);
