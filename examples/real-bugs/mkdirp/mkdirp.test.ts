// mkdirp #2: two concurrent mkdirp calls for the same new directory both see it missing
// (`path.exists`), both `fs.mkdir` it, and the loser's EEXIST reaches its caller. Reproduced
// on the real releases: 0.0.3 (buggy) and 0.0.6 (fixed: EEXIST from the last mkdir is success).
import { explore, RaceError } from 'interleave';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buggy, fixed, givePathExists, mkdirpSpec } from './spec.ts';

let takeBack: () => void = () => undefined;
beforeAll(() => {
  takeBack = givePathExists();
});
afterAll(() => {
  takeBack();
});

describe('mkdirp #2: check-then-act on the file system, through callbacks', () => {
  test('0.0.3: explore draws the interleaving in which one caller gets EEXIST', async () => {
    const error = await explore(mkdirpSpec(buggy)).catch((e: unknown) => e);
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
    // The token replays the same failure, every time (the file system's answers come within
    // each step: a step lasts until the callback has come).
    for (let i = 0; i < 20; i++) {
      const again = await explore({ ...mkdirpSpec(buggy), replay: race.replay }).catch(
        (e: unknown) => e,
      );
      expect(again).toBeInstanceOf(RaceError);
      expect((again as RaceError).cause).toMatchObject({ code: 'EEXIST' });
      expect((again as RaceError).trace.map((s) => [s.task, s.label])).toEqual(
        race.trace.map((s) => [s.task, s.label]),
      );
    }
  });

  test.each(['exhaustive', 'pct', 'random', 'delay-bounded'] as const)(
    '0.0.3: found with %s too',
    async (strategy) => {
      await expect(explore(mkdirpSpec(buggy, strategy))).rejects.toBeInstanceOf(RaceError);
    },
  );

  test('0.0.6: every interleaving within the bound creates the directory', async () => {
    const report = await explore(mkdirpSpec(fixed, 'exhaustive'));
    expect(report.exhausted).toBe(true);
    // Both callers' exists checks, mkdirs and callbacks were scheduled, none passed unseen.
    expect(report.points.byTask[0]).toBeGreaterThanOrEqual(6);
    expect(report.points.byTask[1]).toBeGreaterThanOrEqual(6);
    expect(report.points.outsideTasks).toBe(0);
  });
});
