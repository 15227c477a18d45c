// Red on purpose, under Vitest's default 5000 ms timeout: each test must fail with our
// message, not "Test timed out" (scripts/compat.mjs checks both).
import { test } from 'vitest';
import { scenarios } from '../timeout-scenarios.mjs';

for (const [title, scenario] of scenarios) test(title, () => scenario());
