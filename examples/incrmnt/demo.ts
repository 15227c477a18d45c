/**
 * The Incrmnt story, end to end, for `npm run demo`: each version of the handler meets the
 * same race (a whole second request runs right after the first one read the counter), and
 * the demo prints the interleaving side by side and what became of the two increments.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { after, type Hook } from 'interleave';
import { asyncDb, db } from './db.ts';
import {
  atomicIncrement,
  increment,
  lockingIncrement,
  retryingLockingIncrement,
} from './incrmnt.ts';

type Request = 'A' | 'B';
type Event = [Request, string];

/** Which request the running code belongs to, so the trace can put each call in its column. */
const request = new AsyncLocalStorage<Request>();

export interface Scenario {
  title: string;
  story: string;
  count: number;
  expected: number;
  /** A race the demo reproduces, or a fix that passes the same race. */
  kind: 'race' | 'fix';
  /** What the count shows when it is the expected one. */
  shows: string;
  events: Event[];
}

/** Records every call of the store's methods, tagged with the request that made it. */
function trace(store: object, keys: string[], events: Event[]): Hook[] {
  return keys.map((key) =>
    after(
      store as Record<string, () => unknown>,
      key,
      ({ args, result, error }) => {
        const call = `${key}(${args.join(', ')})`;
        const shown =
          error !== undefined
            ? `${call} throws ${(error as Error).name}`
            : typeof result === 'number'
              ? `${call} -> ${result}`
              : call;
        events.push([request.getStore() ?? 'A', shown]);
      },
      // A scenario calls only some of the methods: the others' tracers rightly never fire.
      { times: Infinity, unfired: 'ignore' },
    ),
  );
}

async function run(
  title: string,
  story: string,
  outcome: Pick<Scenario, 'expected' | 'kind' | 'shows'>,
  act: (events: Event[]) => Promise<void> | void,
): Promise<Scenario> {
  db.reset();
  asyncDb.reset();
  const events: Event[] = [];
  const tracers = [
    ...trace(db, ['getLock', 'getCount', 'setCount', 'incrementCount'], events),
    ...trace(asyncDb, ['getLock', 'getCount', 'setCount', 'incrementCount'], events),
  ];
  try {
    await act(events);
  } finally {
    for (const tracer of tracers) tracer.restore();
  }
  const count = Math.max(db.getCount(), await asyncDb.getCount());
  return { title, story, count, ...outcome, events };
}

/** What the count shows, for the handlers that lose an update and for those that count both. */
const LOST = { expected: 1, kind: 'race', shows: 'the lost update reproduced' } as const;
const COUNTED = {
  expected: 2,
  kind: 'fix',
  shows: 'the fix holds: both increments counted',
} as const;

/** Runs the four versions of the handler against the same race. */
export async function incrmntScenarios(): Promise<Scenario[]> {
  return [
    await run('increment()', 'read, add one, write: the second write is lost', LOST, () => {
      using _race = after(db, 'getCount', () => request.run('B', () => increment()));
      request.run('A', () => increment());
    }),
    await run(
      'lockingIncrement()',
      'B fails fast with CouldNotLock: no lost update, one refusal',
      { expected: 1, kind: 'fix', shows: 'no update lost: B was refused (CouldNotLock)' },
      (events) => {
        using _race = after(db, 'getCount', () =>
          request.run('B', () => {
            try {
              lockingIncrement();
            } catch (error) {
              events.push(['B', `request fails: ${(error as Error).name}`]);
            }
          }),
        );
        request.run('A', () => lockingIncrement());
      },
    ),
    await run(
      'retryingLockingIncrement()',
      'B backs off and retries once A released the lock',
      COUNTED,
      async () => {
        let second: Promise<number> | undefined;
        using _race = after(asyncDb, 'getCount', () => {
          second = request.run('B', () => retryingLockingIncrement());
        });
        await request.run('A', () => retryingLockingIncrement());
        await second;
      },
    ),
    await run('atomicIncrement()', 'the store adds one in a single operation', COUNTED, () => {
      using _race = after(db, 'incrementCount', () => request.run('B', () => atomicIncrement()));
      request.run('A', () => atomicIncrement());
    }),
  ];
}

/** Renders events as two columns, one per request, one row per event, in order. */
export function sideBySide(events: Event[], indent = '    '): string {
  const width = Math.max(26, ...events.map(([, text]) => text.length + 2));
  const cell = (text: string) => text.padEnd(width);
  const lines = [`${cell('request A')}| request B`, `${'-'.repeat(width)}+${'-'.repeat(width)}`];
  for (const [who, text] of events)
    lines.push(who === 'A' ? `${cell(text)}|` : `${cell('')}| ${text}`);
  return lines.map((line) => indent + line.trimEnd()).join('\n');
}
