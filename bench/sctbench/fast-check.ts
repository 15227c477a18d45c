/**
 * The same ports under fast-check's scheduler (`fc.scheduler()`), for comparison: every
 * scheduling point is an `s.schedule(...)` that fast-check releases in an order of its
 * choosing, and each task starts behind one, as explore's tasks start parked.
 */
import fc from 'fast-check';
import type { SctProgram } from './program.ts';

/** What one run of a port under fast-check came to. */
type Ending = 'passed' | 'threw' | 'deadlock';

async function runOnce(program: SctProgram, s: fc.Scheduler): Promise<Ending> {
  const point = (label: string) => s.schedule(Promise.resolve(), label);
  const fragment = program.spec({ point });
  const ctx: unknown = await fragment.setup();
  const settled: ('ok' | 'threw')[] = [];
  fragment.tasks.forEach((task, index) => {
    void (async () => {
      await point('start');
      await task(ctx);
    })().then(
      () => (settled[index] = 'ok'),
      () => (settled[index] = 'threw'),
    );
  });
  // Every point released and nothing left to release: each task has settled, or waits on
  // a mutex or condition that nobody will release (a deadlock).
  await s.waitIdle();
  if (settled.filter(Boolean).length < fragment.tasks.length) {
    // A task that settled in the last step reports it one turn later.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (settled.includes('threw')) return 'threw';
  if (settled.filter(Boolean).length < fragment.tasks.length) return 'deadlock';
  await fragment.check?.(ctx, []);
  return 'passed';
}

/**
 * How many runs of fast-check's scheduler (seeded with `seed`) it takes to hit the bug of
 * `program`, counting the failing run; undefined when `cap` runs did not.
 */
export async function fastCheckRunsToBug(
  program: SctProgram,
  seed: number,
  cap: number,
): Promise<number | undefined> {
  const details = await fc.check(
    fc.asyncProperty(fc.scheduler(), async (s) => (await runOnce(program, s)) === 'passed'),
    { seed, numRuns: cap, endOnFailure: true },
  );
  return details.failed ? details.numRuns : undefined;
}
