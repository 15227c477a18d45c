import { failingExplore, failingRace } from '../race-scenarios.mjs';

describe('interleave under Mocha', () => {
  it('a failing race is an ordinary test failure', async () => {
    await failingRace();
  });

  it('a race explore finds is an ordinary test failure', async () => {
    await failingExplore();
  });
});
