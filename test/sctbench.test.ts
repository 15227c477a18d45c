/**
 * Acceptance suite of issue 15: the SCTBench `concurrent-software-benchmarks` ports of
 * bench/sctbench, each with its bug. For every port: the defaults, pct with seeds 0, 1 and 2,
 * and random find the bug within 10,000 schedules; exhaustive finds it at the port's
 * preemption bound (at most 4 tasks) and exhausts the space below it without it; each bug's
 * replay token reproduces it; the fixed variants pass. The ports wait for a held mutex on a
 * promise the unlock hands over; token_ring and wronglock also run with spin locks (waiters
 * polling at a scheduling point), as the issue measured them.
 */
import { describe, expect, it } from 'vitest';
import { type LockStyle, program, programs, type SctProgram } from '../bench/sctbench/index.ts';
import {
  type CaseName,
  casesOf,
  expectBoundIsTight,
  expectBugFound,
  expectFixedPasses,
  RUNS,
} from './support/sctbench.ts';

/** A case that fails today because of a defect of the engine listed in issue 15. */
interface KnownDefect {
  readonly program: string;
  readonly locks: LockStyle;
  readonly case: CaseName;
  /** The item (1 to 6) that the failure comes from. */
  readonly item: 1 | 2 | 3 | 4 | 5 | 6;
  /** What the case does today. */
  readonly observed: string;
  /**
   * The budget the case runs with here, when the 10,000 schedules would take
   * minutes today: the case is still written to pass, within this smaller budget.
   */
  readonly runs?: number;
}

/**
 * The cases that fail today because of the engine's known defects (issue 15, items 1 to 6).
 * Each is written as it should pass and run with `it.fails`, so CI stays green and the
 * defect stays visible. When a fix makes one of them pass, its `it.fails` fails: remove its
 * line here, so that from then on it must pass (with the issue's budget, if `runs` was lower).
 */
const KNOWN_DEFECTS: readonly KnownDefect[] = [
  {
    program: 'stack',
    locks: 'handover',
    case: 'random',
    item: 1,
    observed:
      'none in 10,000 schedules (220 s): once both tasks wait for the mutex in turn, each unlock hands it over and the unlocker always steps next, so the popper never pops twice in a row',
    runs: 100,
  },
  {
    program: 'twostage_100',
    locks: 'handover',
    case: 'default',
    item: 5,
    observed:
      'none in 10,000 schedules (8 min): the exhaustive half never gets past the orders of 100 tasks with no preemption, and pct misses it (below)',
    runs: 10,
  },
  ...([0, 1, 2] as const).map((seed): KnownDefect => ({
    program: 'twostage_100',
    locks: 'handover',
    case: `pct seed ${seed}`,
    item: 1,
    observed:
      "none in 10,000 schedules (15 to 18 min, 100 ms a schedule): the reader queued on data1Lock never moves first when the writer hands it over; otherwise only a change point in the 2 or 3 steps between a writer's two stages helps",
    runs: 10,
  })),
  {
    program: 'twostage_100',
    locks: 'handover',
    case: 'random',
    item: 1,
    observed:
      'found in schedule 5,094 but after 25 min (fast-check: run 934): each contended lock holds its step for a stepTimeout, 290 ms a schedule',
    runs: 10,
  },
  {
    program: 'queue',
    locks: 'handover',
    case: 'exhaustive below bound',
    item: 2,
    observed:
      'found at bound 0, "0 preemptions": the switch after the producer\'s 64th step in a row is a preemption nobody counts',
  },
  ...([0, 1, 2] as const).map((seed): KnownDefect => ({
    program: 'token_ring',
    locks: 'spin',
    case: `pct seed ${seed}`,
    item: 3,
    observed: 'ERR_LIVELOCK in schedule 1: the turn goes between spinners, never to the holder',
  })),
  ...(['default', 'pct seed 0', 'pct seed 1', 'pct seed 2'] as const).map((kase): KnownDefect => ({
    program: 'wronglock',
    locks: 'spin',
    case: kase,
    item: 3,
    observed:
      kase === 'default'
        ? 'ERR_LIVELOCK in schedule 5001, the first of pct after the exhaustive half'
        : 'ERR_LIVELOCK within 4 schedules: the turn goes between spinners, never to the holder',
  })),
  {
    program: 'wronglock',
    locks: 'spin',
    case: 'fixed',
    item: 3,
    observed: 'ERR_LIVELOCK on the correct program: seven spinners starve the holder',
  },
];

/** The ports run with spin locks as well (the measurements of defect 3). */
const SPIN_PORTS = ['token_ring', 'wronglock'];

/** A bound per case, not a verdict: the slowest case here takes about 3 s. */
const CASE_TIMEOUT = 60_000;

function knownDefect(name: string, locks: LockStyle, kase: CaseName): KnownDefect | undefined {
  return KNOWN_DEFECTS.find((d) => d.program === name && d.locks === locks && d.case === kase);
}

const suites: { p: SctProgram; locks: LockStyle }[] = [
  ...programs.map((p) => ({ p, locks: 'handover' as const })),
  ...SPIN_PORTS.map((name) => ({ p: program(name), locks: 'spin' as const })),
];

for (const { p, locks } of suites) {
  describe(`sctbench ${p.name} (${p.threads} tasks, bound ${p.bound}, ${locks} locks)`, () => {
    for (const kase of casesOf(p)) {
      const known = knownDefect(p.name, locks, kase);
      const runs = known?.runs ?? RUNS;
      const run = async () => {
        if (kase === 'fixed') await expectFixedPasses(p, locks);
        else if (kase === 'exhaustive below bound') await expectBoundIsTight(p, locks);
        else await expectBugFound(p, locks, kase, runs);
      };
      if (known === undefined) {
        it(kase, run, CASE_TIMEOUT);
      } else {
        const budget = known.runs === undefined ? '' : `, ${known.runs} schedules here`;
        const title = `${kase} [known defect, issue 15 item ${known.item}${budget}: ${known.observed}]`;
        it.fails(title, run, CASE_TIMEOUT);
      }
    }
  });
}

describe('sctbench KNOWN_DEFECTS', () => {
  it('names only cases this file runs, each once', () => {
    const key = (name: string, locks: LockStyle, kase: CaseName) => `${name} ${locks} ${kase}`;
    const cases = new Set(
      suites.flatMap(({ p, locks }) => casesOf(p).map((kase) => key(p.name, locks, kase))),
    );
    const named = KNOWN_DEFECTS.map((d) => key(d.program, d.locks, d.case));
    expect(named.filter((k) => !cases.has(k))).toEqual([]);
    expect(new Set(named).size).toBe(named.length);
  });
});
