/**
 * Section 6 of `npm run demo`: a real bug from the literature, on the real npm releases.
 * explore finds mkdirp 0.0.3's EEXIST race through its callback APIs, and exhausts the space
 * green on 0.0.6.
 */
import { explore, type ExploreReport, RaceError } from 'interleave';
import { buggy, fixed, givePathExists, mkdirpSpec } from './spec.ts';

export interface MkdirpScenario {
  race: RaceError;
  fixed: ExploreReport;
}

export async function mkdirpScenario(): Promise<MkdirpScenario> {
  const takeBack = givePathExists();
  try {
    const error = await explore(mkdirpSpec(buggy)).catch((e: unknown) => e);
    if (!(error instanceof RaceError)) {
      throw new Error('explore did not find the mkdirp 0.0.3 race', { cause: error });
    }
    return { race: error, fixed: await explore(mkdirpSpec(fixed, 'exhaustive')) };
  } finally {
    takeBack();
  }
}
