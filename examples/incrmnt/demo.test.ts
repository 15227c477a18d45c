import { expect, it } from 'vitest';
import { boxScenarios } from '../box/demo.ts';
import { counterScenarios } from '../shared-counter/demo.ts';
import { incrmntScenarios, sideBySide } from './demo.ts';
import { exploreScenario } from './explore-demo.ts';

it('the demo tells the Incrmnt story the same way every run', async () => {
  const scenarios = await incrmntScenarios();

  expect(scenarios.map(({ title, count }) => [title, count])).toEqual([
    ['increment()', 1],
    ['lockingIncrement()', 1],
    ['retryingLockingIncrement()', 2],
    ['atomicIncrement()', 2],
  ]);
  expect(scenarios[0]?.events).toEqual([
    ['A', 'getCount() -> 0'],
    ['B', 'getCount() -> 0'],
    ['B', 'setCount(1)'],
    ['A', 'setCount(1)'],
  ]);
  expect(scenarios[2]?.events).toEqual([
    ['A', 'getLock()'],
    ['A', 'getCount() -> 0'],
    ['B', 'getLock() throws CouldNotLock'],
    ['A', 'setCount(1)'],
    ['B', 'getLock()'],
    ['B', 'getCount() -> 1'],
    ['B', 'setCount(2)'],
  ]);
});

it('draws events side by side, one column per request', () => {
  const table = sideBySide(
    [
      ['A', 'getCount() -> 0'],
      ['B', 'setCount(1)'],
    ],
    '',
  );

  expect(table).toMatchInlineSnapshot(`
    "request A                 | request B
    --------------------------+--------------------------
    getCount() -> 0           |
                              | setCount(1)"
  `);
});

it('the explore section finds the lost update, replays it, and passes the fix', async () => {
  const { race, replay, fixed } = await exploreScenario();

  expect(race.code).toBe('ERR_RACE_FOUND');
  expect(race.trace.filter((step) => step.label === 'getCount').map((s) => s.result)).toEqual([
    0, 0,
  ]);
  expect(replay.trace).toEqual(race.trace);
  expect(fixed).toMatchObject({ exhausted: true, strategy: 'exhaustive' });
});

it('the demo says what each outcome shows: a race reproduced, or a fix that holds', async () => {
  const all = [
    ...(await incrmntScenarios()),
    ...(await boxScenarios()),
    ...(await counterScenarios()),
  ];

  for (const { title, kind, shows } of all) {
    // Not "(as expected)", which read as "correct" when the race had reproduced.
    if (kind === 'race') expect(shows, title).toMatch(/ reproduced/);
    else expect(shows, title).toMatch(/^(the fix holds|no update lost)/);
  }
  expect(all.map(({ title, kind }) => [title, kind])).toEqual([
    ['increment()', 'race'],
    ['lockingIncrement()', 'fix'],
    ['retryingLockingIncrement()', 'fix'],
    ['atomicIncrement()', 'fix'],
    ['Box: hasCapacity(), await, addItem()', 'race'],
    ['SafeBox: await, tryAdd() (check and add in one step)', 'fix'],
    ['increment: load, awaitSync(), store', 'race'],
    ['atomicIncrement: awaitSync(), Atomics.add', 'fix'],
  ]);
});
