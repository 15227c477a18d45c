/**
 * Acceptance suite of issue 15: the SCTBench `concurrent-software-benchmarks` ports of
 * bench/sctbench, each with its bug. For every port: the defaults, pct with seeds 0, 1 and 2,
 * and random find the bug within 10,000 schedules; exhaustive finds it at the port's
 * preemption bound (at most 4 tasks) and exhausts the space below it without it; each bug's
 * replay token reproduces it; the fixed variants pass. twostage_100 (100 tasks) is run with
 * random only: see `casesOf`. The ports wait for a held mutex on a
 * promise the unlock hands over; token_ring and wronglock also run with spin locks (waiters
 * polling at a scheduling point), as the issue measured them.
 */
import { describe, it } from 'vitest';
import { type LockStyle, program, programs, type SctProgram } from '../bench/sctbench/index.ts';
import {
  casesOf,
  expectBoundIsTight,
  expectBugFound,
  expectFixedPasses,
  RUNS,
} from './support/sctbench.ts';

/** The ports run with spin locks as well (the measurements of defect 3). */
const SPIN_PORTS = ['token_ring', 'wronglock'];

/** A bound per case, not a verdict: the slowest (twostage_100, random) takes about 15 s. */
const CASE_TIMEOUT = 60_000;

const suites: { p: SctProgram; locks: LockStyle }[] = [
  ...programs.map((p) => ({ p, locks: 'handover' as const })),
  ...SPIN_PORTS.map((name) => ({ p: program(name), locks: 'spin' as const })),
];

for (const { p, locks } of suites) {
  describe(`sctbench ${p.name} (${p.threads} tasks, bound ${p.bound}, ${locks} locks)`, () => {
    for (const kase of casesOf(p)) {
      it(
        kase,
        async () => {
          if (kase === 'fixed') await expectFixedPasses(p, locks);
          else if (kase === 'exhaustive below bound') await expectBoundIsTight(p, locks);
          else await expectBugFound(p, locks, kase, RUNS);
        },
        CASE_TIMEOUT,
      );
    }
  });
}
