/**
 * Section 5 of `npm run demo`: explore finds the Incrmnt lost update by itself, prints the
 * interleaving and its replay token, replays the token to the same schedule, and shows that
 * the queued lock passes every schedule within the preemption bound.
 */
import { explore, type ExploreReport, type RaceError } from 'interleave';
import { raceOf } from '../../test/support/explore.ts';
import { twoRequests } from './explore-spec.ts';
import { incrementAsync, queuedIncrementAsync } from './incrmnt.ts';

export interface ExploreScenario {
  race: RaceError;
  replay: RaceError;
  fixed: ExploreReport;
}

export async function exploreScenario(): Promise<ExploreScenario> {
  const race = await raceOf(explore(twoRequests(incrementAsync)));
  const replay = await raceOf(explore({ ...twoRequests(incrementAsync), replay: race.replay }));
  // A request waiting for the lock is blocked outside the scheduler: a short stepTimeout
  // keeps the search quick.
  const fixed = await explore({
    ...twoRequests(queuedIncrementAsync),
    strategy: 'exhaustive',
    stepTimeout: 10,
  });
  return { race, replay, fixed };
}
