import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXPECTED, lostUpdate, WITH_TSX } from './scenario.ts';

void test('runs a TypeScript task module in worker threads', async () => {
  assert.deepEqual(await lostUpdate(), EXPECTED);
});

void test("runs it with execArgv: ['--import', 'tsx'] too", async () => {
  assert.deepEqual(await lostUpdate(WITH_TSX), EXPECTED);
});
