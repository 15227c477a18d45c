import { describe, expect, it } from 'vitest';
import { AsyncBarrier } from '../src/parallel/async-barrier.ts';
import type { BarrierError } from '../src/parallel/barrier-error.ts';
import { SharedBarrier, sharedBarrierBytes } from '../src/parallel/workers/shared-barrier.ts';

/** What the two barriers have in common: the async one and the shared-memory one. */
interface Barrier {
  arrive(index: number, label: string | undefined): Promise<void>;
  finish(index: number): void;
  fail(index: number, error: unknown): void;
}

/**
 * Plays `script` on the barrier of runInParallel and on the one of runInWorkers (here in one
 * thread: the shared-memory barrier works from any thread, and one thread fixes the order of
 * events), and returns the error each gave to the arrival the script returns. Every other
 * arrival is left to settle (the timeout ends it) before the test ends.
 */
async function onBoth(
  count: number,
  script: (barrier: Barrier, others: Promise<void>[]) => Promise<void>,
): Promise<{ async: BarrierError; shared: BarrierError }> {
  const timeout = 50;
  const asyncBarrier = new AsyncBarrier(count, timeout);
  const shared = new SharedBarrier(
    new SharedArrayBuffer(sharedBarrierBytes(count)),
    count,
    timeout,
  );
  const errors = [];
  for (const barrier of [asyncBarrier, shared]) {
    const others: Promise<void>[] = [];
    errors.push(await rejection(script(barrier, others)));
    await Promise.allSettled(others);
  }
  asyncBarrier.close();
  return { async: errors[0] as BarrierError, shared: errors[1] as BarrierError };
}

async function rejection(promise: Promise<void>): Promise<unknown> {
  return promise.then(
    () => new Error('expected the barrier to reject this arrival'),
    (error: unknown) => error,
  );
}

/** Both barriers gave the same error; its message, for the snapshot. */
function same({ async, shared }: { async: BarrierError; shared: BarrierError }): string {
  expect(shared.message).toBe(async.message);
  expect([shared.code, shared.barrier, shared.tasks]).toEqual([
    async.code,
    async.barrier,
    async.tasks,
  ]);
  return async.message;
}

describe('the async and the shared-memory barrier say the same', () => {
  it('when a task finishes while another waits', async () => {
    const errors = await onBoth(2, async (barrier) => {
      const waiting = barrier.arrive(0, 'ready');
      barrier.finish(1);
      return waiting;
    });

    expect(same(errors)).toMatchInlineSnapshot(`
      "Barrier 1 can never open: task 1 finished while 1 task waited at it.
      Tasks:
        task 0: waiting at barrier 1 "ready"
        task 1: finished (passed 0 barriers)
      Every task must call runner.await() the same number of times; a failing task breaks the barrier for the others, so fix that failure first."
    `);
  });

  it('when a task fails while another waits', async () => {
    const errors = await onBoth(2, async (barrier) => {
      const waiting = barrier.arrive(0, 'ready');
      barrier.fail(1, Object.assign(new Error('boom\nsecond line'), { code: 'E_BOOM' }));
      return waiting;
    });

    expect(same(errors)).toMatchInlineSnapshot(`
      "Barrier 1 can never open: task 1 failed (Error [E_BOOM]: boom) while 1 task waited at it.
      Tasks:
        task 0: waiting at barrier 1 "ready"
        task 1: failed (passed 0 barriers): Error [E_BOOM]: boom
      Every task must call runner.await() the same number of times; a failing task breaks the barrier for the others, so fix that failure first."
    `);
  });

  it('when a task arrives after another finished', async () => {
    const errors = await onBoth(2, async (barrier) => {
      barrier.finish(1);
      return barrier.arrive(0, undefined);
    });

    expect(same(errors)).toMatchInlineSnapshot(`
      "Barrier 1 can never open: task 0 arrived after task 1 had finished.
      Tasks:
        task 0: waiting at barrier 1 (no label)
        task 1: finished (passed 0 barriers)
      Every task must call runner.await() the same number of times; a failing task breaks the barrier for the others, so fix that failure first."
    `);
  });

  it('when a wait times out', async () => {
    const errors = await onBoth(2, async (barrier) => barrier.arrive(0, 'ready'));

    expect(same(errors)).toMatchInlineSnapshot(`
      "Barrier 1 timed out after 50 ms with 1 of 2 tasks arrived.
      Tasks:
        task 0: waiting at barrier 1 "ready"
        task 1: still running, not at a barrier (passed 0 barriers)
      Every task must reach each runner.await(). If a task is just slow, raise \`timeout\` in the options of the run (now 50 ms)."
    `);
  });

  it('when the last task arrives with another label than the waiting ones', async () => {
    const errors = await onBoth(3, async (barrier, others) => {
      others.push(barrier.arrive(0, 'read'), barrier.arrive(1, 'read'));
      return barrier.arrive(2, 'write');
    });

    expect(same(errors)).toMatchInlineSnapshot(`
      "Barrier 1 got different labels: task 2 arrived with "write" while tasks 0, 1 waited with "read", so the tasks are out of step.
      Tasks:
        task 0: waiting at barrier 1 "read"
        task 1: waiting at barrier 1 "read"
        task 2: waiting at barrier 1 "write"
      Make every task await the same labels in the same order (labels match only when equal; no label matches only no label)."
    `);
  });

  it('when a task awaits again before its first await resolved', async () => {
    const errors = await onBoth(2, async (barrier, others) => {
      others.push(barrier.arrive(0, 'ready'));
      return barrier.arrive(0, 'ready');
    });

    expect(same(errors)).toMatchInlineSnapshot(`
      "Task 0 called runner.await() again while its previous call still waited at barrier 1. Await each runner.await() before calling it again.
      Tasks:
        task 0: waiting at barrier 1 "ready"
        task 1: still running, not at a barrier (passed 0 barriers)
      Make every task await the same labels in the same order (labels match only when equal; no label matches only no label)."
    `);
  });

  it('when a task reaches a barrier after the barriers broke', async () => {
    const errors = await onBoth(3, async (barrier, others) => {
      others.push(barrier.arrive(0, 'ready'));
      barrier.finish(1);
      await Promise.allSettled(others);
      return barrier.arrive(2, 'ready');
    });

    expect(same(errors)).toMatchInlineSnapshot(`
      "Task 2 reached barrier 1, but the barriers of this run are broken: barrier 1 can never open: task 1 finished while 1 task waited at it.
      Tasks:
        task 0: still running, not at a barrier (passed 0 barriers)
        task 1: finished (passed 0 barriers)
        task 2: still running, not at a barrier (passed 0 barriers)
      Every task must call runner.await() the same number of times; a failing task breaks the barrier for the others, so fix that failure first."
    `);
  });
});
