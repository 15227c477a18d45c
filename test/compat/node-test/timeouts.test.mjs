// Red on purpose, under node:test's defaults (no test timeout): each test must fail with our
// message, soon (scripts/compat.mjs checks both).
import { test } from 'node:test';
import { scenarios } from '../timeout-scenarios.mjs';

for (const [title, scenario] of scenarios) test(title, () => scenario());
