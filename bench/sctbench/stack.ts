/**
 * stack_bad.c: one thread pushes ten values, raising a flag after each push; the other makes
 * ten rounds, popping whenever the flag is up. The flag never comes down, so the popper
 * pops an empty stack as soon as it makes two rounds between two pushes (one preemption,
 * the pusher switched out after its first push).
 * `fixed` is stack_ok.c: the popper pops only when the stack is not empty.
 */
import { fragment, type SctProgram } from './program.ts';
import { assert, type Cell, type Cells, type Mutex, type PortOptions, Shared } from './support.ts';

const SIZE = 10;
const OVERFLOW = -1;
const UNDERFLOW = -2;

interface State {
  m: Mutex;
  top: Cell<number>;
  arr: Cells<number>;
  flag: Cell<boolean>;
}

async function push(s: State, x: number): Promise<number> {
  if ((await s.top.get()) === SIZE) return OVERFLOW;
  await s.arr.set(await s.top.get(), x);
  await s.top.set((await s.top.get()) + 1);
  return 0;
}

async function pop(s: State): Promise<number> {
  if ((await s.top.get()) === 0) return UNDERFLOW;
  await s.top.set((await s.top.get()) - 1);
  return s.arr.get(await s.top.get());
}

function stack(options: PortOptions | undefined, variant: 'bad' | 'ok') {
  return fragment({
    setup: (): State => {
      const shared = new Shared(options);
      return {
        m: shared.mutex('m'),
        top: shared.cell('top', 0),
        arr: shared.cells('arr', SIZE, 0),
        flag: shared.cell('flag', false),
      };
    },
    tasks: [
      async function pusher(s) {
        for (let i = 0; i < SIZE; i++) {
          await s.m.lock();
          assert((await push(s, i)) !== OVERFLOW, 'push overflowed');
          if (variant === 'bad') await s.flag.set(true);
          await s.m.unlock();
        }
      },
      async function popper(s) {
        for (let i = 0; i < SIZE; i++) {
          await s.m.lock();
          if (variant === 'bad') {
            if (await s.flag.get()) assert((await pop(s)) !== UNDERFLOW, 'pop underflowed');
          } else if ((await s.top.get()) > 0) {
            await pop(s);
          }
          await s.m.unlock();
        }
      },
    ],
  });
}

export const stackProgram: SctProgram = {
  name: 'stack',
  original: 'stack_bad.c',
  threads: 2,
  bound: 1,
  bug: 'assertion',
  spec: (options) => stack(options, 'bad'),
  fixed: (options) => stack(options, 'ok'),
};
