import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TestProject } from 'vitest/node';
import setup from './support/global-setup.ts';
import { pgUrl } from './support/db.ts';
import { fileTag, leftConnections, runPattern } from './support/leaks.ts';
import { startPostgres } from './support/postgres.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const VITEST = join(REPO, 'node_modules/vitest/vitest.mjs');

const saved = process.env.INTERLEAVE_PG_URL;

afterEach(() => {
  if (saved === undefined) delete process.env.INTERLEAVE_PG_URL;
  else process.env.INTERLEAVE_PG_URL = saved;
});

it('says how to fix an INTERLEAVE_PG_URL that cannot be reached', async () => {
  process.env.INTERLEAVE_PG_URL = 'postgres://postgres@127.0.0.1:1/nowhere';

  await expect(startPostgres()).rejects.toThrow(
    /^INTERLEAVE_PG_URL=postgres:\/\/postgres@127\.0\.0\.1:1\/nowhere is set, but that server cannot be reached: .*ECONNREFUSED.*\. Start it, fix the URL, or unset INTERLEAVE_PG_URL to use an embedded server\.$/,
  );
});

describe('the connection leak checks', () => {
  it('count the connections of one run only, and name them', async () => {
    const url = pgUrl();
    const mine = new pg.Client({
      connectionString: url,
      application_name: fileTag('aaaa0001', 'x'),
    });
    const other = new pg.Client({
      connectionString: url,
      application_name: fileTag('bbbb0002', 'x'),
    });
    await Promise.all([mine.connect(), other.connect()]);
    try {
      await mine.query('SELECT 1 AS left_open');

      const found = await leftConnections(url, runPattern('aaaa0001'), 'The tests', 100);

      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(
        /^The tests left 1 PostgreSQL connection\(s\) open: pid \d+ \(idle, last query: SELECT 1 AS left_open\)\. End every client/,
      );
      await mine.end();
      expect(await leftConnections(url, runPattern('aaaa0001'), 'The tests', 100)).toEqual([]);
    } finally {
      await Promise.all([mine.end(), other.end()]);
    }
  });

  it('fail a test run that leaves a connection open', { timeout: 60_000 }, () => {
    const run = spawnSync(
      process.execPath,
      [VITEST, 'run', '--config', 'test/fixtures/pg-leak/vitest.config.ts'],
      {
        cwd: REPO,
        encoding: 'utf8',
        env: { ...process.env, INTERLEAVE_PG_URL: pgUrl(), CI: 'true' },
      },
    );

    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toMatch(
      /This test file left 1 PostgreSQL connection\(s\) open: pid \d+ \(idle, last query: SELECT 1 AS forgotten\)/,
    );
  });
});

describe('the global teardown', () => {
  const provided = new Map<string, string>();
  const project = {
    provide: (key: string, value: string) => provided.set(key, value),
  } as unknown as TestProject;

  it('fails the run when a connection of this run is still open, and only then', async () => {
    process.env.INTERLEAVE_PG_URL = pgUrl();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const exitCode = process.exitCode;
    const teardown = await setup(project);
    const leak = new pg.Client({
      connectionString: pgUrl(),
      application_name: fileTag(provided.get('pgRunTag') ?? '', 'a file'),
    });
    await leak.connect();
    try {
      await teardown();

      expect(process.exitCode).toBe(1);
      expect(errors).toHaveBeenCalledWith(
        expect.stringMatching(
          /^\nThe tests left 1 PostgreSQL connection\(s\) open: pid \d+ \(idle/,
        ),
      );
      process.exitCode = exitCode;
      await leak.end();
      errors.mockClear();
      await (
        await setup(project)
      )();
      expect(process.exitCode).toBe(exitCode);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      process.exitCode = exitCode;
      await leak.end().catch(() => undefined);
    }
  }, 20_000);
});
