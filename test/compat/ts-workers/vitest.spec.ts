import { expect, it } from 'vitest';
import { EXPECTED, lostUpdate, WITH_TSX } from './scenario.ts';

it('runs a TypeScript task module in worker threads', async () => {
  expect(await lostUpdate()).toEqual(EXPECTED);
});

it("runs it with execArgv: ['--import', 'tsx'] too", async () => {
  expect(await lostUpdate(WITH_TSX)).toEqual(EXPECTED);
});
