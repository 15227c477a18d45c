/**
 * Vitest setup file: names this test file's PostgreSQL connections (leaks.ts) and fails the
 * file if any is still open after its last test. It runs inside the test process, before it
 * exits and its sockets close, so a client that was never ended is seen.
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { afterAll, expect, inject } from 'vitest';
import { fileTag, leftConnections } from './leaks.ts';

// Random as well as readable: two files may share a name (examples/*/postgres.test.ts).
const file = `${randomBytes(3).toString('hex')} ${basename(expect.getState().testPath ?? '')}`;
const tag = fileTag(inject('pgRunTag'), file);
process.env.PGAPPNAME = tag;

afterAll(async () => {
  const problems = await leftConnections(inject('pgUrl'), tag, 'This test file');
  if (problems.length > 0) throw new Error(problems.join('\n'));
}, 10_000);
