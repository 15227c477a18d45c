/**
 * Starts an embedded PostgreSQL through its supervisor (supervisor.ts), a process in its own
 * process group that shuts the server down and removes its folder whenever this process ends,
 * however it ends. Nothing here keeps this process alive: a test runner or the demo exits
 * when its own work is done, and the supervisor cleans up after it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FromSupervisor, Ready, ToSupervisor } from './protocol.ts';
import { serverAccount } from './account.ts';
import { collectLines, removeRun } from './run-dir.ts';

/** initdb and a first start take a few seconds; a cold, loaded machine copying binaries more. */
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;
const SUPERVISOR = fileURLToPath(new URL('./supervisor.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface EmbeddedServer extends Omit<Ready, 'type'> {
  /** The process that runs the server and removes it (see supervisor.ts). */
  readonly supervisorPid: number;
  /** Stops the server and removes its folder; resolves with what went wrong, if anything. */
  stop(): Promise<string[]>;
}

export interface Progress {
  readonly step: 'initdb' | 'postgres';
  /** The run's folder. */
  readonly dir: string;
  readonly supervisorPid: number;
}

export async function launchEmbeddedPostgres(
  postgresFlags: readonly string[],
  onProgress?: (progress: Progress) => void,
): Promise<EmbeddedServer> {
  const supervisor = fork(SUPERVISOR, [], {
    cwd: REPO, // where `tsx` resolves from
    execArgv: ['--import', 'tsx'],
    detached: true, // its own process group: a Ctrl-C meant for the tests does not cut it short
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const stderr: string[] = [];
  collectLines(supervisor.stderr, stderr);
  const ready = await until<Ready>(
    supervisor,
    START_TIMEOUT_MS,
    { type: 'start', postgresFlags },
    {
      message: (message, resolve, reject) => {
        if (message.type === 'ready') resolve(message);
        else if (message.type === 'failed') {
          reject(startError(message.message, message.log, stderr));
        } else if (message.type === 'progress') {
          onProgress?.({
            step: message.step,
            dir: message.dir,
            supervisorPid: supervisor.pid ?? 0,
          });
        }
      },
      exit: (why, _resolve, reject) => reject(startError(`its supervisor ${why}`, [], stderr)),
      timeout: (_resolve, reject) => {
        supervisor.kill('SIGTERM'); // it stops what it started and removes its folder
        reject(startError(`it did not start within ${START_TIMEOUT_MS / 1000} s`, [], stderr));
      },
    },
  );
  hold(supervisor, false);
  const { url, dir, pid, account, swept } = ready;
  return {
    url,
    dir,
    pid,
    account,
    swept,
    supervisorPid: supervisor.pid ?? 0,
    stop: () => stop(supervisor, ready),
  };
}

async function stop(supervisor: ChildProcess, { dir }: Ready): Promise<string[]> {
  if (supervisor.exitCode === null && supervisor.signalCode === null) {
    hold(supervisor, true);
    const reply = await until<readonly string[] | undefined>(
      supervisor,
      STOP_TIMEOUT_MS,
      { type: 'stop' },
      {
        message: (message, resolve) => {
          if (message.type === 'stopped') resolve(message.problems);
        },
        // Its exit may be seen before its last message: a clean exit with nothing left is fine.
        exit: (why, resolve) => {
          resolve(why === 'exited (0)' && !existsSync(dir) ? [] : undefined);
        },
        timeout: (resolve) => {
          resolve(undefined);
        },
      },
    );
    hold(supervisor, false);
    if (reply !== undefined) return [...reply];
  }
  // The supervisor is gone (killed) or did not answer: do its work from here.
  supervisor.kill('SIGKILL');
  return [
    `its supervisor (pid ${supervisor.pid ?? '?'}) did not stop it`,
    ...(await removeRun(dir, serverAccount())),
  ];
}

interface Handlers<T> {
  message(message: FromSupervisor, resolve: (value: T) => void, reject: (e: Error) => void): void;
  exit(why: string, resolve: (value: T) => void, reject: (e: Error) => void): void;
  timeout(resolve: (value: T) => void, reject: (e: Error) => void): void;
}

/** Sends `request` and settles as the handlers say, within `ms`; removes its listeners after. */
function until<T>(
  supervisor: ChildProcess,
  ms: number,
  request: ToSupervisor,
  handlers: Handlers<T>,
): Promise<T> {
  return new Promise<T>((resolvePromise, rejectPromise) => {
    const done = () => {
      clearTimeout(timer);
      supervisor.off('message', onMessage).off('error', onError).off('exit', onExit);
    };
    const resolve = (value: T) => {
      done();
      resolvePromise(value);
    };
    const reject = (error: Error) => {
      done();
      rejectPromise(error);
    };
    const onMessage = (message: FromSupervisor) => {
      handlers.message(message, resolve, reject);
    };
    const onError = (error: Error) => {
      handlers.exit(`could not run: ${error.message}`, resolve, reject);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      handlers.exit(`exited (${code ?? signal ?? '?'})`, resolve, reject);
    };
    const timer = setTimeout(() => {
      handlers.timeout(resolve, reject);
    }, ms);
    supervisor.on('message', onMessage).once('error', onError).once('exit', onExit);
    if (supervisor.connected) supervisor.send(request);
    else handlers.exit('is gone', resolve, reject);
  });
}

/** Whether the supervisor (its process, channel and stderr) keeps this process alive. */
function hold(supervisor: ChildProcess, keepAlive: boolean): void {
  const handles = [supervisor, supervisor.channel, supervisor.stderr as { ref?(): void } | null];
  for (const handle of handles) {
    if (keepAlive) handle?.ref?.();
    else (handle as { unref?(): void } | null | undefined)?.unref?.();
  }
}

function startError(why: string, log: readonly string[], stderr: string[]): Error {
  const output = [...log, ...stderr].slice(-20);
  return new Error(
    `Could not start the embedded PostgreSQL server: ${why}` +
      (output.length > 0 ? `\nIts last output:\n${output.join('\n')}` : ''),
  );
}
