import assert from 'node:assert/strict';
import {
  barrierTimeout,
  boxRace,
  classifiers,
  exploreRace,
  lostUpdate,
} from '../race-scenarios.mjs';

describe('interleave under Mocha', () => {
  it('a hook reproduces the lost update', () => {
    assert.deepEqual(lostUpdate(), { count: 1, fired: 1, restored: true });
  });

  it('a barrier reproduces the check-then-act race', async () => {
    assert.deepEqual(await boxRace(), ['apple', 'banana', 'orange']);
  });

  it('a barrier that cannot open fails cleanly', async () => {
    const result = await barrierTimeout();
    assert.equal(result.code, 'ERR_BARRIER_TIMEOUT');
  });

  it('interleave/db classifies', () => {
    assert.equal(classifiers(), true);
  });

  it('explore finds the lost update and replays it', async () => {
    assert.deepEqual(await exploreRace(), {
      found: true,
      code: 'ERR_RACE_FOUND',
      preemptions: 1,
      replayed: true,
    });
  });
});
