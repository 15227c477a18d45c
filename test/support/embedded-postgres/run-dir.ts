/**
 * The folder of one embedded PostgreSQL run, `<tmpdir>/interleave-pg-XXXXXX/`, and how a later
 * run recognises and removes one that a killed run left behind.
 *
 * A run's folder holds a marker (`interleave-run.json`, written before anything else) naming
 * the process that asked for the server and the supervisor that runs it. A folder is stale
 * when both are gone: then whatever still runs on it (its server, an `initdb`) is shut down
 * and the folder removed. Folders without our marker are never touched: they are not ours.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Account } from './account.ts';

export const RUN_DIR_PREFIX = 'interleave-pg-';
const MARKER = 'interleave-run.json';

export interface RunMarker {
  readonly kind: 'interleave-embedded-postgres';
  /** The process that asked for the server (the test runner, the demo). */
  readonly ownerPid: number;
  /** The process that starts, watches and stops the server. */
  readonly supervisorPid: number;
  readonly createdAt: string;
}

export function writeMarker(dir: string, marker: Omit<RunMarker, 'kind'>): void {
  const content: RunMarker = { kind: 'interleave-embedded-postgres', ...marker };
  writeFileSync(join(dir, MARKER), JSON.stringify(content), { mode: 0o600 });
}

/**
 * The marker of a run folder of this account's: the folder a real directory (no symlink) and
 * the marker a file, both owned by this process's account, the marker private (mode 600).
 * Another account's look-alike in a shared /tmp is not ours, whatever it says.
 */
export function readMarker(dir: string): RunMarker | undefined {
  try {
    const me = process.getuid?.();
    const folder = lstatSync(dir);
    const file = lstatSync(join(dir, MARKER));
    if (!folder.isDirectory() || !file.isFile() || (file.mode & 0o077) !== 0) return undefined;
    if (me !== undefined && (folder.uid !== me || file.uid !== me)) return undefined;
    const parsed = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Partial<RunMarker>;
    if (
      parsed.kind === 'interleave-embedded-postgres' &&
      typeof parsed.ownerPid === 'number' &&
      typeof parsed.supervisorPid === 'number'
    ) {
      return parsed as RunMarker;
    }
  } catch {
    // No marker, or not ours.
  }
  return undefined;
}

/**
 * Whether a process with this pid is running (a pid can be reused: callers check what it is).
 * A zombie (exited, not yet reaped by an init that does not reap) is not running.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, but belongs to another account.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state ...", where comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return existsSync('/proc/self') ? false : true; // no /proc (macOS): kill(0) answered
  }
}

/**
 * The processes whose command line names `dir`: a run's postmaster (`postgres -D dir/data`)
 * or its `initdb --pgdata=dir/data` (a server's backends exit with their postmaster).
 */
export function processesUsing(dir: string): number[] {
  const pids: number[] = [];
  const mine = (args: string) => args.includes(`${dir}/`);
  if (existsSync('/proc/self/cmdline')) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (mine(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '))) {
          pids.push(Number(entry));
        }
      } catch {
        // It exited meanwhile.
      }
    }
    return pids;
  }
  const table = execFileSync('ps', ['-axo', 'pid=,args='], { encoding: 'utf8' });
  for (const line of table.split('\n')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (match?.[1] !== undefined && mine(match[2] ?? '')) pids.push(Number(match[1]));
  }
  return pids;
}

/**
 * Stops a server or `initdb`: SIGINT (PostgreSQL's fast shutdown; initdb cleans up), then
 * SIGQUIT (immediate shutdown), then SIGKILL, waiting within `ms` for it to be gone.
 * Returns whether it is gone.
 */
export async function stopProcess(pid: number, ms = 10_000): Promise<boolean> {
  const steps: [NodeJS.Signals, number][] = [
    ['SIGINT', ms * 0.6],
    ['SIGQUIT', ms * 0.3],
    ['SIGKILL', ms * 0.1],
  ];
  for (const [signal, wait] of steps) {
    try {
      process.kill(pid, signal);
    } catch {
      return !isAlive(pid);
    }
    const deadline = Date.now() + wait;
    while (isAlive(pid) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (!isAlive(pid)) return true;
  }
  return !isAlive(pid);
}

export interface SweepResult {
  /** Folders of killed runs that were removed (their server shut down first). */
  readonly removed: string[];
  /** Folders of killed runs that could not be removed, and why. */
  readonly failed: string[];
}

/**
 * Stops whatever still runs on a run's folder and removes the folder. The server's `data/` is
 * emptied as the server's account first, so that nothing that account could have put there
 * (a symlink) makes this process remove files of its own. Returns the problems (none: `[]`).
 */
export async function removeRun(dir: string, account: Account): Promise<string[]> {
  const stuck: number[] = [];
  for (const pid of processesUsing(dir)) {
    if (!(await stopProcess(pid))) stuck.push(pid);
  }
  if (stuck.length > 0) return [`its processes (${stuck.join(', ')}) would not stop`];
  const data = join(dir, 'data');
  if (account.uid !== undefined && existsSync(data)) {
    // It cannot remove `data` itself from the folder it does not own: this process does.
    spawnSync('rm', ['-rf', '--', data], { uid: account.uid, gid: account.gid, stdio: 'ignore' });
  }
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch (error) {
    return [`could not remove ${dir}: ${String(error)}`];
  }
  return existsSync(dir) ? [`its folder ${dir} was left behind`] : [];
}

/**
 * Removes what killed runs of this account left in `root`: their servers and folders, nothing
 * else (see readMarker).
 */
export async function sweepStaleRuns(root: string, account: Account): Promise<SweepResult> {
  const removed: string[] = [];
  const failed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root).filter((name) => name.startsWith(RUN_DIR_PREFIX));
  } catch {
    return { removed, failed };
  }
  for (const name of names) {
    const dir = join(root, name);
    const marker = readMarker(dir);
    if (marker === undefined || isAlive(marker.ownerPid) || isAlive(marker.supervisorPid)) continue;
    const problems = await removeRun(dir, account);
    if (problems.length === 0) removed.push(dir);
    else failed.push(`${dir}: ${problems.join('; ')}`);
  }
  return { removed, failed };
}

/** Collects a stream's output, line by line, into `lines`. */
export function collectLines(stream: NodeJS.ReadableStream | null, lines: string[]): void {
  stream?.on('data', (chunk: Buffer) =>
    lines.push(...chunk.toString('utf8').trimEnd().split('\n')),
  );
}
