// mkdirp #2: two concurrent mkdirp calls for the same new directory both see it missing
// (`path.exists`), both `fs.mkdir` it, and the loser's EEXIST reaches its caller. Reproduced
// on the real releases: 0.0.3 (buggy) and 0.0.6 (fixed: EEXIST from the last mkdir is success).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { explore, RaceError, type StrategyName, yieldAt } from 'interleave';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

type Mkdirp = (dir: string, mode: number, cb: (err: NodeJS.ErrnoException | null) => void) => void;

const require = createRequire(import.meta.url);
const buggy = (require('mkdirp-0.0.3') as { mkdirp: Mkdirp }).mkdirp;
const fixed = (require('mkdirp-0.0.6') as { mkdirp: Mkdirp }).mkdirp;

// Both releases call `path.exists`, which Node removed in v12 (it became `fs.exists`). Giving
// it back is what running a 2011 release on today's Node takes; it is not part of the race.
// eslint-disable-next-line @typescript-eslint/no-deprecated -- the type of that same API
const paths = path as typeof path & { exists: typeof fs.exists };
beforeAll(() => {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the API the old releases call
  paths.exists = fs.exists;
});
afterAll(() => {
  Reflect.deleteProperty(paths, 'exists');
});

let root = '';

// #region spec
/** The spec a user writes: two callers create the same nested directory at once. */
function spec(mkdirp: Mkdirp, strategy?: StrategyName) {
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
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'interleave-mkdirp-'));
    },
    points: () => {
      yieldAt(paths, 'exists', { callback: true });
      yieldAt(fs, 'mkdir', { callback: true });
    },
    tasks: [create, create],
    check: () => {
      expect(fs.statSync(path.join(root, 'cache', 'images')).isDirectory()).toBe(true);
    },
    teardown: () => {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
// #endregion

describe('mkdirp #2: check-then-act on the file system, through callbacks', () => {
  test('0.0.3: explore draws the interleaving in which one caller gets EEXIST', async () => {
    const error = await explore(spec(buggy)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RaceError);
    const race = error as RaceError;
    expect(race.cause).toMatchObject({ code: 'EEXIST', syscall: 'mkdir' });
    // Both callers saw `images` missing before either created it.
    const sawMissing = race.trace.filter(
      (step) =>
        step.label === 'exists' &&
        String(step.args?.[0]).endsWith('images') &&
        (step.result as unknown[])[0] === false,
    );
    expect(new Set(sawMissing.map((step) => step.task))).toEqual(new Set([0, 1]));
    expect(race.reproducible).toBe(true);
    // The token replays the same failure.
    const again = await explore({ ...spec(buggy), replay: race.replay }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(RaceError);
    expect((again as RaceError).cause).toMatchObject({ code: 'EEXIST' });
  });

  test.each(['exhaustive', 'pct', 'random', 'delay-bounded'] as const)(
    '0.0.3: found with %s too',
    async (strategy) => {
      await expect(explore(spec(buggy, strategy))).rejects.toBeInstanceOf(RaceError);
    },
  );

  test('0.0.6: every interleaving within the bound creates the directory', async () => {
    const report = await explore(spec(fixed, 'exhaustive'));
    expect(report.exhausted).toBe(true);
    // Both callers' exists checks, mkdirs and callbacks were scheduled, none passed unseen.
    expect(report.points.byTask[0]).toBeGreaterThanOrEqual(6);
    expect(report.points.byTask[1]).toBeGreaterThanOrEqual(6);
  });
});
