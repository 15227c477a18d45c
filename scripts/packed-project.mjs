// What scripts/compat.mjs and scripts/pack-check.mjs share: the package as users get it
// (`npm pack`, installed into a temporary project), running commands there, and reporting.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('..', import.meta.url));
/** A command still running after this long left a handle open (or hangs). */
export const HANG_LIMIT_MS = 60_000;

/** Packs interleave and installs the tarball into a new temporary project. */
export function packedProject(name) {
  const project = mkdtempSync(join(tmpdir(), `interleave-${name}-`));
  console.log(`Node ${process.version}; packing interleave into ${project}`);
  run('npm', ['pack', '--silent', '--pack-destination', project], { cwd: repo, label: 'npm pack' });
  const tarball = readdirSync(project).find((file) => file.endsWith('.tgz'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name, private: true }));
  run('npm', ['install', '--no-audit', '--no-fund', '--silent', `./${tarball}`], {
    cwd: project,
    label: 'npm install',
  });
  return { project, tarball };
}

/** Removes the project, unless `keepVariable` (e.g. KEEP_COMPAT) is 1. */
export function removeProject(project, keepVariable) {
  if (process.env[keepVariable] !== '1') rmSync(project, { recursive: true, force: true });
}

/** Runs a command; with `label`, a failure throws (a set-up step). */
export function run(command, args, { cwd, label }) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: HANG_LIMIT_MS,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' },
  });
  const outcome = {
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    timedOut: result.error?.code === 'ETIMEDOUT',
  };
  if (label !== undefined && outcome.status !== 0) {
    throw new Error(`${label} failed (${outcome.status}):\n${outcome.stdout}${outcome.stderr}`);
  }
  return outcome;
}

/** Prints one check's verdict (and the end of its output when it failed). */
export function check(title, outcome, ok = (o) => o.status === 0) {
  const good = ok(outcome);
  const hung = outcome.timedOut
    ? ` (did not exit within ${HANG_LIMIT_MS / 1000} s: a handle was left open)`
    : '';
  console.log(`${good ? '✓' : '✗'} ${title}${hung}`);
  if (!good) console.log(`${outcome.stdout}${outcome.stderr}`.split('\n').slice(-40).join('\n'));
  return good;
}

/** Prints the tally and exits non-zero if any check failed. */
export function finish(results) {
  const failed = results.filter((ok) => !ok).length;
  console.log(`\n${results.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
