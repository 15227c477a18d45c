import { failingRace } from '../race-scenarios.mjs';

test('a failing race is an ordinary test failure', async () => {
  await failingRace();
});
