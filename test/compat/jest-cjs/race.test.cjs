// Jest with a CommonJS configuration: the test file is CommonJS, and loads the ES module
// package with import() (Jest supports it under --experimental-vm-modules).
const load = () => import('../race-scenarios.mjs');

test('a hook reproduces the lost update', async () => {
  const { lostUpdate } = await load();
  expect(lostUpdate()).toEqual({ count: 1, fired: 1, restored: true });
});

test('a barrier reproduces the check-then-act race', async () => {
  const { boxRace } = await load();
  expect(await boxRace()).toEqual(['apple', 'banana', 'orange']);
});

test('a barrier that cannot open fails cleanly', async () => {
  const { barrierTimeout } = await load();
  expect(await barrierTimeout()).toMatchObject({
    parallelError: true,
    code: 'ERR_BARRIER_TIMEOUT',
  });
});

test('explore finds the lost update and replays it', async () => {
  const { exploreRace } = await load();
  expect(await exploreRace()).toEqual({
    found: true,
    code: 'ERR_RACE_FOUND',
    preemptions: 1,
    replayed: true,
  });
});

test('interleave/db classifies', async () => {
  const { classifiers } = await load();
  expect(classifiers()).toBe(true);
});
