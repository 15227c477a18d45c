const load = () => import('../race-scenarios.mjs');

test('a failing race is an ordinary test failure', async () => {
  const { failingRace } = await load();
  await failingRace();
});

test('a race explore finds is an ordinary test failure', async () => {
  const { failingExplore } = await load();
  await failingExplore();
});
