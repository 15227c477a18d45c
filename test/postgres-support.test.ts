import { afterEach, expect, it } from 'vitest';
import { startPostgres } from './support/postgres.ts';

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
