// Red on purpose, under Jest's default 5000 ms timeout: each test must fail with our
// message, not "Exceeded timeout" (scripts/compat.mjs checks both).
import { scenarios } from '../timeout-scenarios.mjs';

for (const [title, scenario] of scenarios) test(title, () => scenario());
