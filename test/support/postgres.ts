/**
 * The PostgreSQL server the tests and the demo use: the one `INTERLEAVE_PG_URL` points at,
 * or a throwaway embedded server (embedded-postgres/: started once, removed after, also when
 * the run is interrupted or killed).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { launchEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres/launch.ts';
import { leftConnections, runPattern } from './leaks.ts';

export interface PostgresServer {
  readonly url: string;
  readonly source: 'INTERLEAVE_PG_URL' | 'embedded';
  /**
   * This run's tag: every connection the tests open is named `interleave-tests <runTag> ...`
   * (see leaks.ts), so the leak checks count this run's connections only.
   */
  readonly runTag: string;
  /**
   * Checks that no connection of this run is left open, then stops and removes an embedded
   * server; rejects with every problem found.
   */
  stop(): Promise<void>;
}

const HOW_TO_OVERRIDE =
  'To use another server, set INTERLEAVE_PG_URL, e.g. INTERLEAVE_PG_URL=postgres://postgres@127.0.0.1:5432/test npm test.';

export async function startPostgres(): Promise<PostgresServer> {
  const runTag = randomBytes(4).toString('hex');
  const fromEnv = process.env.INTERLEAVE_PG_URL;
  if (fromEnv !== undefined && fromEnv !== '') {
    await checkReachable(fromEnv);
    return {
      url: fromEnv,
      source: 'INTERLEAVE_PG_URL',
      runTag,
      stop: async () => {
        throwIfAny(await leftConnections(fromEnv, runPattern(runTag), 'The tests'));
      },
    };
  }
  let server: EmbeddedServer;
  try {
    // Deadlocks are detected after 50 ms: fast tests, and the same as a busy server.
    server = await launchEmbeddedPostgres([
      '-c',
      'deadlock_timeout=50ms',
      '-c',
      'max_connections=200',
    ]);
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n${HOW_TO_OVERRIDE}`,
      {
        cause: error,
      },
    );
  }
  return {
    url: server.url,
    source: 'embedded',
    runTag,
    async stop() {
      const left = await leftConnections(server.url, runPattern(runTag), 'The tests').catch(
        (error: unknown) => [`The leak check could not run: ${String(error)}`],
      );
      const stopped = await server.stop();
      throwIfAny([...left, ...stopped.map((problem) => `The embedded PostgreSQL: ${problem}.`)]);
    },
  };
}

function throwIfAny(problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/**
 * A connected client on `url`, tagged so the suite can check that none is left open, asking
 * for the short deadlock_timeout the embedded server has (so a server given by
 * INTERLEAVE_PG_URL detects deadlocks as fast; a non-superuser keeps the server's setting).
 * The caller ends it.
 */
export async function connectPg(url: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    // The test file's tag (leaks.ts), inherited by every client it opens, pools included.
    application_name: process.env.PGAPPNAME ?? 'interleave-tests',
  });
  await client.connect();
  await client.query("SET deadlock_timeout = '50ms'").catch(() => undefined);
  return client;
}

async function checkReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `INTERLEAVE_PG_URL=${withoutPassword(url)} is set, but that server cannot be reached: ${String(error)}. Start it, fix the URL, or unset INTERLEAVE_PG_URL to use an embedded server.`,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL as it may be printed: its password (if any) replaced by `***`. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return '(a URL that cannot be parsed)';
  }
}
