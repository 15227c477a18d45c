// Red on purpose, under Mocha's default 2000 ms timeout: each test must fail with our
// message, not "Timeout of 2000ms exceeded" (scripts/compat.mjs checks both).
import { scenarios } from '../timeout-scenarios.mjs';

describe('interleave under Mocha, default timeout', () => {
  for (const [title, scenario] of scenarios) it(title, () => scenario());
});
