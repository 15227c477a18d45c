import { failingRace } from '../race-scenarios.mjs';

describe('interleave under Mocha', () => {
  it('a failing race is an ordinary test failure', async () => {
    await failingRace();
  });
});
