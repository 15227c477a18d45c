import { test } from 'node:test';
import { failingExplore, failingRace } from '../race-scenarios.mjs';

test('a failing race is an ordinary test failure', async () => {
  await failingRace();
});

test('a race explore finds is an ordinary test failure', async () => {
  await failingExplore();
});
