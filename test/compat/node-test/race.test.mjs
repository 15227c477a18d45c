import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  barrierTimeout,
  boxRace,
  classifiers,
  exploreRace,
  lostUpdate,
} from '../race-scenarios.mjs';

test('a hook reproduces the lost update', () => {
  assert.deepEqual(lostUpdate(), { count: 1, fired: 1, restored: true });
});

test('a barrier reproduces the check-then-act race', async () => {
  assert.deepEqual(await boxRace(), ['apple', 'banana', 'orange']);
});

test('a barrier that cannot open fails cleanly', async () => {
  const result = await barrierTimeout();
  assert.equal(result.parallelError, true);
  assert.equal(result.code, 'ERR_BARRIER_TIMEOUT');
  assert.match(result.message, /^Barrier 1 timed out after 50 ms/);
});

test('interleave/db classifies', () => {
  assert.equal(classifiers(), true);
});

test('explore finds the lost update and replays it', async () => {
  assert.deepEqual(await exploreRace(), {
    found: true,
    code: 'ERR_RACE_FOUND',
    preemptions: 1,
    replayed: true,
  });
});
