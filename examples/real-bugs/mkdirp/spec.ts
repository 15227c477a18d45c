/**
 * mkdirp #2 as a user writes it: two callers create the same nested directory at once, with
 * the callback APIs mkdirp calls as scheduling points. Shared by the test and the demo.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { type ExploreSpec, type StrategyName, yieldAt } from 'interleave';

export type Mkdirp = (
  dir: string,
  mode: number,
  cb: (err: NodeJS.ErrnoException | null) => void,
) => void;

const require = createRequire(import.meta.url);
/** The buggy release and the fixed one, from npm (aliases in devDependencies). */
export const buggy = (require('mkdirp-0.0.3') as { mkdirp: Mkdirp }).mkdirp;
export const fixed = (require('mkdirp-0.0.6') as { mkdirp: Mkdirp }).mkdirp;

// Both releases call `path.exists`, which Node removed in v12 (it became `fs.exists`). Giving
// it back is what running a 2011 release on today's Node takes; it is not part of the race.
// eslint-disable-next-line @typescript-eslint/no-deprecated -- the type of that same API
const paths = path as typeof path & { exists: typeof fs.exists };

/** Puts `path.exists` back for the old releases; returns the undo. */
export function givePathExists(): () => void {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the API the old releases call
  paths.exists = fs.exists;
  return () => {
    Reflect.deleteProperty(paths, 'exists');
  };
}

let root = '';

// #region spec
/** Two callers create the same nested directory at once. */
export function mkdirpSpec(mkdirp: Mkdirp, strategy?: StrategyName): ExploreSpec {
  const create = () =>
    new Promise<void>((resolve, reject) => {
      mkdirp(path.join(root, 'cache', 'images'), 0o755, (err) => {
        if (err) reject(err);
        else resolve();
      });
    });
  return {
    ...(strategy === undefined ? {} : { strategy }),
    setup: () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'mkdirp-'));
    },
    points: () => {
      yieldAt(paths, 'exists', { callback: true });
      yieldAt(fs, 'mkdir', { callback: true });
    },
    tasks: [create, create],
    check: () => {
      if (!fs.statSync(path.join(root, 'cache', 'images')).isDirectory()) {
        throw new Error('cache/images is not a directory');
      }
    },
    teardown: () => {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
// #endregion
