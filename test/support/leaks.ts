/**
 * Connection leak checks. Every PostgreSQL connection a test file opens is named
 * `interleave-tests <run> <file>` (node-postgres reads PGAPPNAME, which the setup file
 * pg-leak-check.ts sets per file; child processes inherit it), so a check counts the
 * connections of this run, or of one file, and nobody else's: not a second run's on the same
 * server, nor a concurrent file's.
 */
import pg from 'pg';

const PREFIX = 'interleave-tests';
/** A connection ended by the client is gone from pg_stat_activity within milliseconds. */
const GRACE_MS = 2000;

/** The application_name of one test file's connections. */
export function fileTag(runTag: string, file: string): string {
  return `${PREFIX} ${runTag} ${file}`.slice(0, 63); // PostgreSQL keeps 63 bytes of it
}

/** A LIKE pattern for every connection of one run. */
export function runPattern(runTag: string): string {
  return `${PREFIX} ${runTag} %`;
}

interface Connection {
  pid: number;
  application_name: string;
  state: string | null;
  query: string;
}

/**
 * The connections named by `pattern` (a LIKE pattern) still open after a short grace period,
 * described for an error message (`who` left them: "This test file", "The tests"); none: `[]`.
 */
export async function leftConnections(
  url: string,
  pattern: string,
  who: string,
  graceMs = GRACE_MS,
): Promise<string[]> {
  const client = new pg.Client({
    connectionString: url,
    application_name: 'interleave-leak-check',
  });
  await client.connect();
  try {
    const deadline = Date.now() + graceMs;
    for (;;) {
      const { rows } = await client.query<Connection>(
        `SELECT pid, application_name, state, left(query, 80) AS query FROM pg_stat_activity
         WHERE application_name LIKE $1 AND pid <> pg_backend_pid()`,
        [pattern],
      );
      if (rows.length === 0) return [];
      if (Date.now() > deadline) {
        const list = rows.map(
          (row) => `pid ${row.pid} (${row.state ?? '?'}, last query: ${row.query})`,
        );
        return [
          `${who} left ${rows.length} PostgreSQL connection(s) open: ${list.join('; ')}. ` +
            'End every client (client.end(), pool.end()) in the test, in a finally block or afterEach.',
        ];
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    await client.end();
  }
}
