/**
 * queue_bad.c: a producer puts a first element in a queue, then both threads take turns
 * (flags under one mutex, a round doing something only on its thread's turn), the consumer
 * checking each element against the producer's record at the consumer's own round number.
 * The numbers agree only if the consumer never wasted a round: it has only to look once
 * before the producer's first turn (one preemption, after its first round).
 * `fixed` is queue_ok.c: each thread does all its work in one critical section.
 */
import { fragment, type SctProgram } from './program.ts';
import { assert, type Cell, type Cells, type Mutex, type PortOptions, Shared } from './support.ts';

const EMPTY = -1;

interface State {
  m: Mutex;
  size: number;
  element: Cells<number>;
  head: Cell<number>;
  tail: Cell<number>;
  amount: Cell<number>;
  stored: Cells<number>;
  enqueueFlag: Cell<boolean>;
  dequeueFlag: Cell<boolean>;
}

async function empty(q: State): Promise<number> {
  return (await q.head.get()) === (await q.tail.get()) ? EMPTY : 0;
}

async function enqueue(q: State, x: number): Promise<number> {
  await q.element.set(await q.tail.get(), x);
  await q.amount.set((await q.amount.get()) + 1);
  if ((await q.tail.get()) === q.size) await q.tail.set(1);
  else await q.tail.set((await q.tail.get()) + 1);
  return 0;
}

async function dequeue(q: State): Promise<number> {
  const x = await q.element.get(await q.head.get());
  await q.amount.set((await q.amount.get()) - 1);
  if ((await q.head.get()) === q.size) await q.head.set(1);
  else await q.head.set((await q.head.get()) + 1);
  return x;
}

function state(options: PortOptions | undefined, size: number): State {
  const shared = new Shared(options);
  return {
    m: shared.mutex('m'),
    size,
    element: shared.cells('element', size, 0),
    head: shared.cell('head', 0),
    tail: shared.cell('tail', 0),
    amount: shared.cell('amount', 0),
    stored: shared.cells('stored_elements', size, 0),
    enqueueFlag: shared.cell('enqueue_flag', true),
    dequeueFlag: shared.cell('dequeue_flag', false),
  };
}

/** The consumer's check: the element it takes is the one the producer recorded at `i`. */
async function dequeueAndCheck(q: State, i: number): Promise<void> {
  const got = await dequeue(q);
  const expected = await q.stored.get(i);
  assert(got === expected, `dequeued ${got}, expected ${expected}`);
}

/** queue_bad.c's producer: a first element, then one element per turn. */
async function producer(q: State) {
  let value = 0;
  await q.m.lock();
  assert((await enqueue(q, value)) === 0, 'enqueue succeeded');
  await q.stored.set(0, value);
  assert((await empty(q)) !== EMPTY, 'queue not empty');
  await q.m.unlock();
  for (let i = 0; i < q.size - 1; i++) {
    await q.m.lock();
    if (await q.enqueueFlag.get()) {
      value++;
      await enqueue(q, value);
      await q.stored.set(i + 1, value);
      await q.enqueueFlag.set(false);
      await q.dequeueFlag.set(true);
    }
    await q.m.unlock();
  }
}

/** queue_bad.c's consumer: one element per turn, checked against its own round. */
async function consumer(q: State) {
  for (let i = 0; i < q.size; i++) {
    await q.m.lock();
    if (await q.dequeueFlag.get()) {
      await dequeueAndCheck(q, i);
      await q.dequeueFlag.set(false);
      await q.enqueueFlag.set(true);
    }
    await q.m.unlock();
  }
}

/** queue_ok.c's producer: every element in one critical section. */
async function producerAtOnce(q: State) {
  let value = 0;
  await q.m.lock();
  if (await q.enqueueFlag.get()) {
    for (let i = 0; i < q.size; i++) {
      value++;
      await enqueue(q, value);
      await q.stored.set(i, value);
    }
    await q.enqueueFlag.set(false);
    await q.dequeueFlag.set(true);
  }
  await q.m.unlock();
}

/** queue_ok.c's consumer: every element in one critical section. */
async function consumerAtOnce(q: State) {
  await q.m.lock();
  if (await q.dequeueFlag.get()) {
    for (let i = 0; i < q.size; i++) {
      if ((await empty(q)) !== EMPTY) await dequeueAndCheck(q, i);
    }
    await q.dequeueFlag.set(false);
    await q.enqueueFlag.set(true);
  }
  await q.m.unlock();
}

export const queueProgram: SctProgram = {
  name: 'queue',
  original: 'queue_bad.c',
  threads: 2,
  bound: 1,
  bug: 'assertion',
  spec: (options) => fragment({ setup: () => state(options, 20), tasks: [producer, consumer] }),
  fixed: (options) =>
    fragment({ setup: () => state(options, 40), tasks: [producerAtOnce, consumerAtOnce] }),
};
