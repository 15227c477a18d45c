/**
 * The suite's embedded PostgreSQL (test/support/embedded-postgres/) under real signals and
 * kills: nothing outlives a run, and what a killed run left, the next run removes.
 * Each test runs servers in a temporary folder of its own (as TMPDIR), never the suite's.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  isAlive,
  processesUsing,
  stopProcess,
  writeMarker,
} from './support/embedded-postgres/run-dir.ts';

const FIXTURE = fileURLToPath(
  new URL('./fixtures/embedded-postgres/hold-server.ts', import.meta.url),
);
const REPO = fileURLToPath(new URL('../', import.meta.url));
const asRoot = process.getuid?.() === 0;

interface Step {
  step: 'initdb' | 'postgres' | 'ready';
  dir: string;
  supervisorPid: number;
  url?: string;
  pid?: number;
  account?: string;
  swept?: string[];
}

let root: string;
const children: ChildProcess[] = [];

const ROOT_PREFIX = 'interleave-signals-';
const OWNER = 'owner.pid';

// A run of this file that was killed left its folder (its afterEach never ran): remove those
// whose run is gone, with whatever still runs on them.
beforeAll(async () => {
  for (const name of readdirSync(tmpdir()).filter((entry) => entry.startsWith(ROOT_PREFIX))) {
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, OWNER), 'utf8'));
    } catch {
      continue; // not one of ours
    }
    if (!Number.isInteger(owner) || isAlive(owner)) continue;
    for (const pid of processesUsing(dir)) await stopProcess(pid);
    rmSync(dir, { recursive: true, force: true });
  }
});

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), ROOT_PREFIX));
  writeFileSync(join(root, OWNER), String(process.pid));
  chmodSync(root, 0o711); // as root, the server's account must enter it
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const pid of processesUsing(root)) await stopProcess(pid);
  rmSync(root, { recursive: true, force: true });
});

/** The fixture in a process group of its own (so a group signal reaches it, not the suite). */
function holdServer(arg?: 'stop') {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...(arg ? [arg] : [])], {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: root, INTERLEAVE_PG_URL: '' },
  });
  children.push(child);
  const seen: Step[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    seen.push(JSON.parse(line) as Step);
    for (const wake of waiters.splice(0)) wake();
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    child,
    exited,
    stderr: () => stderr,
    async step(name: Step['step']): Promise<Step> {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const found = seen.find((s) => s.step === name);
        if (found) return found;
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(
            `The fixture never reached "${name}"; it printed ${JSON.stringify(seen)}\n${stderr}`,
          );
        }
        await Promise.race([new Promise<void>((wake) => waiters.push(wake)), exited]);
      }
    },
  };
}

/** Waits (within 20 s) until nothing of a run is left: no process on its folder, no folder. */
async function expectGone(dir: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((existsSync(dir) || processesUsing(dir).length > 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(processesUsing(dir), `processes still running on ${dir}`).toEqual([]);
  expect(existsSync(dir), `${dir} still exists`).toBe(false);
}

/** The run folders in `dir` (tsx keeps a cache folder of its own in TMPDIR). */
const runsIn = (dir: string) =>
  readdirSync(dir).filter((name) => name.startsWith('interleave-pg-'));

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the embedded PostgreSQL server', { timeout: 90_000 }, () => {
  it.each([
    ['SIGINT to the process', (child: ChildProcess) => child.kill('SIGINT')],
    [
      'SIGINT to its process group (Ctrl-C)',
      (child: ChildProcess) => process.kill(-(child.pid ?? 0), 'SIGINT'),
    ],
    ['SIGTERM', (child: ChildProcess) => child.kill('SIGTERM')],
    ['SIGHUP (the terminal closed)', (child: ChildProcess) => child.kill('SIGHUP')],
    ['SIGKILL', (child: ChildProcess) => child.kill('SIGKILL')],
  ])('is shut down and removed when the tests get %s', async (_name, signal) => {
    const run = holdServer();
    const { dir, pid } = await run.step('ready');
    expect(isAlive(pid ?? 0)).toBe(true);

    signal(run.child);
    await run.exited;

    await expectGone(dir);
    expect(isAlive(pid ?? 0)).toBe(false);
  });

  it('leaves no password behind when the tests are killed during initdb', async () => {
    const run = holdServer();
    const { dir } = await run.step('initdb'); // its password file is written by now

    run.child.kill('SIGKILL');

    await expectGone(dir);
  });

  it('removes, on the next run, the server of a run killed together with its supervisor', async () => {
    const killed = holdServer();
    const { dir, pid, supervisorPid } = await killed.step('ready');
    process.kill(supervisorPid, 'SIGKILL');
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(isAlive(pid ?? 0)).toBe(true); // nobody is left to stop it: the next run must

    const next = holdServer('stop');
    const { swept } = await next.step('ready');
    await next.exited;

    expect(swept).toEqual([dir]);
    await expectGone(dir);
    expect(runsIn(root)).toEqual([]);
  });

  it('removes, on the next run, the folder and password of a run killed during initdb', async () => {
    const killed = holdServer();
    const { dir, supervisorPid } = await killed.step('initdb');
    process.kill(supervisorPid, 'SIGKILL');
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(existsSync(dir)).toBe(true); // nobody is left to remove it: the next run must

    const next = holdServer('stop');
    const { swept } = await next.step('ready');
    await next.exited;

    expect(swept).toEqual([dir]);
    expect(runsIn(root)).toEqual([]);
  });

  it("never touches other programs' folders, nor a run whose tests or supervisor still run", async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid; // a pid that has exited
    const folder = (name: string) => {
      const dir = join(root, `interleave-pg-${name}`);
      mkdirSync(dir);
      return dir;
    };
    folder('no-marker');
    writeMarker(folder('tests-running'), {
      ownerPid: process.pid,
      supervisorPid: gone,
      createdAt: '',
    });
    writeMarker(folder('supervisor-running'), {
      ownerPid: gone,
      supervisorPid: process.pid,
      createdAt: '',
    });
    const readable = folder('marker-readable-by-others');
    writeMarker(readable, { ownerPid: gone, supervisorPid: gone, createdAt: '' });
    chmodSync(join(readable, 'interleave-run.json'), 0o644);
    const killed = folder('killed');
    writeMarker(killed, { ownerPid: gone, supervisorPid: gone, createdAt: '' });

    const next = holdServer('stop');
    const { swept } = await next.step('ready');
    await next.exited;

    expect(swept).toEqual([killed]);
    expect(runsIn(root).sort()).toEqual([
      'interleave-pg-marker-readable-by-others',
      'interleave-pg-no-marker',
      'interleave-pg-supervisor-running',
      'interleave-pg-tests-running',
    ]);
  });

  it.runIf(asRoot)("as root, never removes another account's look-alike folder", async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const planted = join(root, 'interleave-pg-planted');
    mkdirSync(planted);
    writeMarker(planted, { ownerPid: gone, supervisorPid: gone, createdAt: '' });
    chownSync(planted, 65534, 65534);
    chownSync(join(planted, 'interleave-run.json'), 65534, 65534);

    const next = holdServer('stop');
    const { swept } = await next.step('ready');
    await next.exited;

    expect(swept).toEqual([]);
    expect(runsIn(root)).toEqual(['interleave-pg-planted']);
  });

  it('has a random password per run, removed from disk after initdb, and a private folder', async () => {
    const passwd = asRoot ? [digest('/etc/passwd'), digest('/etc/group')] : [];
    const first = holdServer();
    const second = holdServer();
    const [a, b] = await Promise.all([first.step('ready'), second.step('ready')]);
    const password = (url = '') => new URL(url).password;

    expect(password(a.url)).toMatch(/^[\w-]{32}$/);
    expect(password(a.url)).not.toBe(password(b.url));
    for (const run of [a, b]) {
      // Others may at most pass through (as root, so that `nobody` reaches its data).
      expect(statSync(run.dir).mode & 0o777).toBe(asRoot ? 0o711 : 0o700);
      expect(statSync(join(run.dir, 'data')).mode & 0o777).toBe(0o700);
      expect(readdirSync(run.dir)).not.toContain('password');
    }
    const wrong = new URL(a.url ?? '');
    wrong.password = 'postgres';
    const client = new pg.Client({ connectionString: wrong.href });
    await expect(client.connect()).rejects.toMatchObject({ code: '28P01' });
    await client.end().catch(() => undefined);
    if (asRoot) {
      // PostgreSQL refuses root: the server runs as `nobody`, and no account was created.
      expect(a.account).toBe('nobody');
      expect(readFileSync(`/proc/${a.pid ?? 0}/status`, 'utf8')).toMatch(/^Uid:\s+65534\s/m);
      expect([digest('/etc/passwd'), digest('/etc/group')]).toEqual(passwd);
    }
  });

  it.runIf(asRoot)('as root, says why when the server account cannot enter TMPDIR', async () => {
    chmodSync(root, 0o700);
    const run = holdServer();
    await run.exited;

    expect(run.child.exitCode).not.toBe(0);
    expect(run.stderr()).toContain(
      'Could not start the embedded PostgreSQL server: PostgreSQL refuses to run as root, so the embedded server runs as `nobody`, and that account cannot enter the temporary folder',
    );
    expect(run.stderr()).toContain('Set TMPDIR to a folder every account can enter');
    expect(runsIn(root)).toEqual([]);
  });
});
