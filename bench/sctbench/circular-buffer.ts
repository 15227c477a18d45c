/**
 * circular_buffer_bad.c: a sender and a receiver take turns through a ten-slot buffer, seven
 * rounds each, every round under one mutex; a round does something only when it is that
 * thread's turn. The receiver checks each element against its own round number, which
 * matches only if neither thread ever wasted a round: the receiver has only to look once
 * before the sender's first element (one preemption, after its first round).
 * `fixed` is circular_buffer_ok.c: the receiver checks against the value sent.
 */
import { fragment, type SctProgram } from './program.ts';
import { assert, type Cell, type Cells, type Mutex, type PortOptions, Shared } from './support.ts';

const BUFFER_MAX = 10;
const ROUNDS = 7;
const ERROR = -1;

interface State {
  m: Mutex;
  buffer: Cells<number>;
  first: Cell<number>;
  next: Cell<number>;
  bufferSize: Cell<number>;
  send: Cell<boolean>;
  receive: Cell<boolean>;
  value: Cell<number>;
}

async function removeLogElement(s: State): Promise<number> {
  assert((await s.first.get()) >= 0, 'first >= 0');
  if ((await s.next.get()) > 0 && (await s.first.get()) < (await s.bufferSize.get())) {
    await s.first.set((await s.first.get()) + 1);
    return s.buffer.get((await s.first.get()) - 1);
  }
  return ERROR;
}

async function insertLogElement(s: State, b: number): Promise<number> {
  if ((await s.next.get()) < (await s.bufferSize.get()) && (await s.bufferSize.get()) > 0) {
    await s.buffer.set(await s.next.get(), b);
    await s.next.set(((await s.next.get()) + 1) % (await s.bufferSize.get()));
    assert((await s.next.get()) < (await s.bufferSize.get()), 'next < buffer_size');
    return b;
  }
  return ERROR;
}

function circularBuffer(options: PortOptions | undefined, variant: 'bad' | 'ok') {
  return fragment({
    setup: (): State => {
      const shared = new Shared(options);
      return {
        m: shared.mutex('m'),
        buffer: shared.cells('buffer', BUFFER_MAX, 0),
        first: shared.cell('first', 0),
        next: shared.cell('next', 0),
        bufferSize: shared.cell('buffer_size', BUFFER_MAX),
        send: shared.cell('send', true),
        receive: shared.cell('receive', false),
        value: shared.cell('value', 0),
      };
    },
    tasks: [
      async function sender(s) {
        for (let i = 0; i < ROUNDS; i++) {
          await s.m.lock();
          if (await s.send.get()) {
            const inserted = await insertLogElement(s, i);
            if (variant === 'ok') {
              assert(inserted === i, `inserted ${inserted}, expected ${i}`);
              await s.value.set(i);
            }
            await s.send.set(false);
            await s.receive.set(true);
          }
          await s.m.unlock();
        }
      },
      async function receiver(s) {
        for (let i = 0; i < ROUNDS; i++) {
          await s.m.lock();
          if (await s.receive.get()) {
            const removed = await removeLogElement(s);
            const expected = variant === 'bad' ? i : await s.value.get();
            assert(removed === expected, `removed ${removed}, expected ${expected}`);
            await s.receive.set(false);
            await s.send.set(true);
          }
          await s.m.unlock();
        }
      },
    ],
  });
}

export const circularBufferProgram: SctProgram = {
  name: 'circular_buffer',
  original: 'circular_buffer_bad.c',
  threads: 2,
  bound: 1,
  bug: 'assertion',
  spec: (options) => circularBuffer(options, 'bad'),
  fixed: (options) => circularBuffer(options, 'ok'),
};
