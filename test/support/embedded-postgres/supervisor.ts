/**
 * The supervisor of one embedded PostgreSQL server: a process of its own, in its own process
 * group (see launch.ts), that creates the run's folder, runs `initdb` and `postgres`, and
 * removes both when it is told to stop, when the process that started it is gone (also after
 * a SIGKILL: the IPC channel closes), or on SIGINT, SIGTERM or SIGHUP. A Ctrl-C in a terminal
 * reaches the test runner, not this group, so the server is always shut down by this process,
 * in order, and its folder removed after it has exited.
 *
 * Secrets: the superuser's password is random per run, handed to initdb in a file inside the
 * run's private folder (mode 700, removed as soon as initdb is done), and the server listens
 * on 127.0.0.1 only, with no Unix socket, requiring the password (scram-sha-256).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binariesFor, canTraverse, serverAccount, type Account } from './account.ts';
import type { FromSupervisor, StartRequest, ToSupervisor } from './protocol.ts';
import {
  collectLines,
  removeRun,
  RUN_DIR_PREFIX,
  stopProcess,
  sweepStaleRuns,
  writeMarker,
} from './run-dir.ts';

const START_TIMEOUT_MS = 30_000;
const log: string[] = [];
let child: ChildProcess | undefined;
let runDir: string | undefined;
let account: Account = { name: 'this account' };
let stopping: Promise<never> | undefined;

process.stderr.on('error', () => undefined); // the launcher may be gone: nothing to tell it
process.on('message', (message: ToSupervisor) => {
  if (message.type === 'start') start(message).catch(fail);
  else void shutDown();
});
process.on('disconnect', () => void shutDown());
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => void shutDown());
}

function send(message: FromSupervisor): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  void send({ type: 'failed', message, log: log.slice(-30) }).then(shutDown);
}

async function start({ postgresFlags }: StartRequest): Promise<void> {
  const root = tmpdir();
  account = serverAccount();
  const { removed, failed } = await sweepStaleRuns(root, account);
  stillWanted();
  for (const problem of failed) log.push(`could not remove a killed run's folder: ${problem}`);
  if (!canTraverse(account, root)) {
    throw new Error(
      `PostgreSQL refuses to run as root, so the embedded server runs as \`${account.name}\`, and that account cannot enter the temporary folder ${root}. ` +
        'Set TMPDIR to a folder every account can enter (e.g. TMPDIR=/tmp), or INTERLEAVE_PG_URL to an existing server.',
    );
  }
  const dir = mkdtempSync(join(root, RUN_DIR_PREFIX));
  runDir = dir;
  writeMarker(dir, {
    ownerPid: process.ppid,
    supervisorPid: process.pid,
    createdAt: new Date().toISOString(),
  });
  // The folder stays this process's (mode 711 when the server runs as another account, so
  // that account can reach its files); only `data/` and the password file are the server's.
  if (account.uid !== undefined) chmodSync(dir, 0o711);
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  giveTo(account, data);
  const bin = binariesFor(account, dir);
  const password = randomBytes(24).toString('base64url');
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  giveTo(account, passwordFile);
  await send({ type: 'progress', step: 'initdb', dir });
  stillWanted();
  try {
    await run(account, bin.initdb, [
      `--pgdata=${data}`,
      '--username=postgres',
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--no-locale',
      '--no-sync',
    ]);
  } finally {
    rmSync(passwordFile, { force: true });
  }
  stillWanted();
  for (let attempt = 1; stopping === undefined; attempt++) {
    const port = await freePort();
    await send({ type: 'progress', step: 'postgres', dir });
    stillWanted();
    try {
      const pid = await serve(account, bin.postgres, dir, port, postgresFlags);
      const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
      await send({ type: 'ready', url, dir, pid, account: account.name, swept: removed });
      return;
    } catch (error) {
      // Another program took the port between our probe and the server's bind: try another.
      if (attempt === 3 || !/could not bind|already in use/i.test(log.join('\n'))) throw error;
    }
  }
}

/** Between the steps of `start`: stop starting once a shutdown has begun. */
function stillWanted(): void {
  if (stopping !== undefined) throw new Error('Stopped while starting.');
}

function giveTo(account: Account, path: string): void {
  if (account.uid !== undefined && account.gid !== undefined) {
    chownSync(path, account.uid, account.gid);
  }
}

function spawnAs(account: Account, file: string, args: string[]) {
  const spawned = spawn(file, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Nothing of ours leaks into the server's environment; messages in English for `serve`.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
    ...(account.uid === undefined ? {} : { uid: account.uid, gid: account.gid }),
  });
  child = spawned;
  collectLines(spawned.stdout, log);
  collectLines(spawned.stderr, log);
  return spawned;
}

/** Runs a program to its end; rejects with its exit code (or spawn error) otherwise. */
function run(account: Account, file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const spawned = spawnAs(account, file, args);
    spawned.once('error', (error) => reject(new Error(`Could not run ${file}: ${error.message}`)));
    spawned.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${file} failed (exit code ${code ?? signal ?? '?'}).`));
    });
  });
}

/** Starts the server; resolves with its pid once it accepts connections. */
function serve(
  account: Account,
  file: string,
  dir: string,
  port: number,
  flags: readonly string[],
): Promise<number> {
  return new Promise((resolve, reject) => {
    // prettier-ignore
    const spawned = spawnAs(account, file, [
      '-D', join(dir, 'data'), '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
      '-c', 'fsync=off', ...flags,
    ]);
    const timer = setTimeout(() => {
      reject(new Error(`The server did not accept connections within ${START_TIMEOUT_MS} ms.`));
    }, START_TIMEOUT_MS);
    spawned.once('error', (error) => reject(new Error(`Could not run ${file}: ${error.message}`)));
    spawned.once('close', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited before it was ready (exit code ${code ?? signal ?? '?'}).`));
    });
    let output = ''; // the line may come in two chunks
    spawned.stderr.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-200);
      if (output.includes('ready to accept connections')) {
        clearTimeout(timer);
        resolve(spawned.pid ?? 0);
      }
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('No free port on 127.0.0.1.'));
      });
    });
  });
}

/** Stops whatever runs (initdb or the server), removes the run's folder, reports, exits. */
function shutDown(): Promise<never> {
  stopping ??= (async () => {
    const problems: string[] = [];
    const running = child;
    if (running?.pid !== undefined && running.exitCode === null && running.signalCode === null) {
      if (!(await stopProcess(running.pid))) problems.push(`pid ${running.pid} would not stop`);
    }
    if (runDir !== undefined) problems.push(...(await removeRun(runDir, account)));
    await send({ type: 'stopped', problems });
    process.exit(problems.length === 0 ? 0 : 1);
  })();
  return stopping;
}
