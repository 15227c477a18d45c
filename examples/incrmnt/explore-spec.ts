/**
 * Incrmnt as an `explore` spec: two concurrent requests running the same handler against
 * the asynchronous store, each call to the store a scheduling point, and the counter
 * expected to end at 2.
 */
import { type ExploreSpec, yieldAt } from 'interleave';
import { asyncDb } from './db.ts';

export function twoRequests(handler: () => Promise<number>): ExploreSpec {
  return {
    setup: () => {
      asyncDb.reset();
    },
    points: () => {
      yieldAt(asyncDb, 'getCount');
      yieldAt(asyncDb, 'setCount');
    },
    tasks: [handler, handler],
    check: async () => {
      const count = await asyncDb.getCount();
      if (count !== 2) throw new Error(`lost update: two increments, count ${count}`);
    },
  };
}
