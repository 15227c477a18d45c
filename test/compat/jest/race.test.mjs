import {
  barrierTimeout,
  boxRace,
  classifiers,
  exploreRace,
  lostUpdate,
} from '../race-scenarios.mjs';

test('a hook reproduces the lost update', () => {
  expect(lostUpdate()).toEqual({ count: 1, fired: 1, restored: true });
});

test('a barrier reproduces the check-then-act race', async () => {
  expect(await boxRace()).toEqual(['apple', 'banana', 'orange']);
});

test('a barrier that cannot open fails cleanly', async () => {
  expect(await barrierTimeout()).toMatchObject({
    parallelError: true,
    code: 'ERR_BARRIER_TIMEOUT',
  });
});

test('interleave/db classifies', () => {
  expect(classifiers()).toBe(true);
});

test('explore finds the lost update and replays it', async () => {
  expect(await exploreRace()).toEqual({
    found: true,
    code: 'ERR_RACE_FOUND',
    preemptions: 1,
    replayed: true,
  });
});
