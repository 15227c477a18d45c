// `node --import tsx main.ts` (and, where Node strips types, `node main.ts`). No top-level
// await: in a package without "type": "module", tsx runs this file as CommonJS.
import assert from 'node:assert/strict';
import { EXPECTED, lostUpdate, WITH_TSX } from './scenario.ts';

void Promise.all([lostUpdate(), lostUpdate(WITH_TSX)]).then(([inherited, explicit]) => {
  assert.deepEqual(inherited, EXPECTED);
  assert.deepEqual(explicit, EXPECTED);
  console.log('TypeScript task modules ran in worker threads');
});
