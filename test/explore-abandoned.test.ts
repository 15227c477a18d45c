/**
 * A task that a failed schedule abandoned stays stopped at its next scheduling point, also
 * after explore has returned, and the process goes idle (#14 item 1).
 */
import { expect, it } from 'vitest';
import { checkpoint, explore, RaceError, yieldAt } from 'interleave';
import { currentTask } from '../src/explore/engine/task-context.ts';

/** Lets the event loop turn `n` times (no timers: each turn is one setImmediate). */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

it('a polling task abandoned after ERR_LIVELOCK stops at its next point: no spinning after explore returns', async () => {
  let polls = 0;
  const error = await explore({
    tasks: [
      async () => {
        for (;;) {
          polls++;
          await checkpoint('poll');
        }
      },
    ],
    maxSteps: 50,
    settleTimeout: 20,
  }).catch((e: unknown) => e);
  expect((error as RaceError).code).toBe('ERR_LIVELOCK');
  expect((error as RaceError).message).toContain('abandoned');
  const after = polls;
  // Were it still running, each turn of the event loop would see more polls (or, spinning on
  // microtasks, no turn would come at all and this test would time out).
  await turns(20);
  expect(polls - after).toBeLessThanOrEqual(1);
  expect(currentTask()).toBeUndefined();
});

it('a task abandoned while blocked outside the scheduler stops at its next checkpoint once released', async () => {
  const db = { count: 0 };
  let unblock: () => void = () => undefined;
  const lock = new Promise<void>((resolve) => {
    unblock = resolve;
  });
  const error = await explore({
    setup: () => {
      db.count = 0;
    },
    tasks: [
      async () => {
        await lock; // blocked outside the scheduler, e.g. on a row lock
        await checkpoint('locked');
        db.count = 1;
      },
      async () => {
        throw new Error('the other task failed');
      },
    ],
    strategy: 'exhaustive',
    maxPreemptions: 0,
    stepTimeout: 10,
    settleTimeout: 20,
    shrink: false,
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RaceError);
  // Nothing in the process could have woken it (only this test, once explore returns).
  expect((error as RaceError).message).toContain(
    'task 0 had not settled and nothing in the process could wake it',
  );
  expect(currentTask()).toBeUndefined(); // explore has left: outside tasks, nothing is tracked
  unblock();
  await turns(20);
  expect(db.count).toBe(0);
  expect(currentTask()).toBeUndefined();
});

it('while explore runs on (shrinking), an abandoned task stops at a yieldAt point of a later schedule; the method is restored when explore returns', async () => {
  const db = {
    count: 0,
    async write(n: number) {
      db.count = n;
    },
  };
  const original = db.write;
  let unblock: () => void = () => undefined;
  const lock = new Promise<void>((resolve) => {
    unblock = resolve;
  });
  let schedules = 0;
  let stoppedTaskRanOn = false;
  const error = await explore({
    setup: () => {
      schedules++;
      // The first shrinking replay releases the task that schedule 1 abandoned.
      if (schedules === 2) unblock();
    },
    points: () => {
      yieldAt(db, 'write');
    },
    tasks: [
      async () => {
        if (schedules > 1) return db.write(1);
        await lock; // schedule 1: blocked for good, a deadlock; the task is abandoned
        await db.write(-1); // reached during a later schedule: must stop here
        stoppedTaskRanOn = true;
      },
    ],
    stepTimeout: 10,
    settleTimeout: 20,
  }).catch((e: unknown) => e);
  expect((error as RaceError).code).toBe('ERR_DEADLOCK');
  expect(schedules).toBeGreaterThan(1); // shrinking replayed at least once
  await turns(20);
  expect(stoppedTaskRanOn).toBe(false);
  expect(db.count).toBe(1);
  expect(db.write).toBe(original);
});
