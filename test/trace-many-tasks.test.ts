/**
 * The trace table at scale: a schedule of 100 tasks shows the tasks that matter as columns and
 * counts the others on "not shown" lines; a task spinning on a point is one row; no line is
 * longer than MAX_LINE and the table has at most `maxRows` lines under its header, whatever the
 * trace; a preemption and the failing step are never what is left out. Small traces are drawn
 * step by step, as before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkpoint, explore, type TraceStep } from 'interleave';
import { raceOf } from './support/explore.ts';
import { formatTraceTable, MAX_LINE } from '../src/trace/table.ts';

type Extra = Partial<Omit<TraceStep, 'step' | 'task' | 'label'>>;

/** A trace from `[task, label, extra]` triples: parked, not preempted, not blocked unless said. */
function traceOf(steps: readonly (readonly [number, string, Extra?])[]): TraceStep[] {
  return steps.map(([task, label, extra], i) => ({
    step: i + 1,
    task,
    label,
    preempted: false,
    end: 'parked',
    blocked: false,
    ...extra,
  }));
}

/** Each line of `table` is at most MAX_LINE long; returns the number of lines. */
function checkWidth(table: string): number {
  const lines = table.split('\n');
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(MAX_LINE);
  return lines.length;
}

/** Writers run start, write, write ✓ one after the other: each switch follows a finished task. */
function writers(from: number, to: number): [number, string, Extra?][] {
  const steps: [number, string, Extra?][] = [];
  for (let task = from; task < to; task++) {
    steps.push([task, 'start'], [task, 'write data1'], [task, 'write data2', { end: 'finished' }]);
  }
  return steps;
}

const names = (n: number) => Array.from({ length: n }, (_, i) => (i < n - 1 ? 'writer' : 'reader'));

/**
 * 100 tasks, 300 steps, one preemption in the middle: writer 50 has written data1 when reader
 * 99 is switched in (step 153); 99 then waits (a blocked step) while the other writers run, and
 * throws at the last step.
 */
const twostage = traceOf([
  ...writers(0, 50),
  [50, 'start'],
  [50, 'write data1'],
  [99, 'start', { preempted: true }],
  [99, 'read data1', { blocked: true }],
  [50, 'write data2', { end: 'finished' }],
  ...writers(51, 99),
  [99, 'read data2', { end: 'failed', thrown: new Error('read data1 = 1 then data2 = 0') }],
]);

describe('a schedule of 100 tasks', () => {
  it('shows the failing task and those around the preemption and the last switches', () => {
    expect(twostage).toHaveLength(300);
    const table = formatTraceTable(twostage, names(100), { maxRows: 20, focus: [99] });

    expect(checkWidth(table)).toBeLessThanOrEqual(20 + 3);
    expect(table.length).toBeLessThan(20 * MAX_LINE);
    expect(table).toContain('» 153 │');
    expect(table).toContain('read data2 ✗ threw Error');
    expect(table).toMatchInlineSnapshot(`
      " 4 of 100 tasks shown (where the schedule ended, and around its last switches); 96 others ran 288 steps, counted on the "not shown" lines.
        step │ task 50 (writer)   │ task 97 (writer)   │ task 98 (writer)   │ task 99 (reader)
       ──────┼────────────────────┼────────────────────┼────────────────────┼────────────────────────────────────────────────────────
           … │ 150 steps not shown: 50 other tasks ran 150: 0–49
         151 │ start              │                    │                    │
         152 │ write data1        │                    │                    │
       » 153 │                    │                    │                    │ start
         154 │                    │                    │                    │ read data1 [blocked]
         155 │ write data2 ✓ done │                    │                    │
           … │ 138 steps not shown: 46 other tasks ran 138: 51–96
         294 │                    │ start              │                    │
         295 │                    │ write data1        │                    │
         296 │                    │ write data2 ✓ done │                    │
         297 │                    │                    │ start              │
         298 │                    │                    │ write data1        │
         299 │                    │                    │ write data2 ✓ done │
         300 │                    │                    │                    │ read data2 ✗ threw Error: read data1 = 1 then data2 = 0"
    `);
  });

  it('keeps a preemption among hundreds of switches, and the rows around it', () => {
    // Round robin: every step is a switch of task; one of them, in the middle, a preemption.
    const steps: [number, string, Extra?][] = [];
    for (let round = 0; round < 10; round++) {
      for (let task = 0; task < 100; task++) {
        const preempted = round === 5 && task === 37;
        steps.push([task, round === 0 ? 'start' : `round ${round}`, { preempted }]);
      }
    }
    steps.push([12, 'check', { end: 'failed', thrown: new Error('boom') }]);
    const table = formatTraceTable(traceOf(steps), names(100), { maxRows: 12, focus: [12] });

    expect(checkWidth(table)).toBeLessThanOrEqual(12 + 3);
    expect(table).toContain('» 538 │');
    expect(table).toContain('check ✗ threw Error: boom');
    expect(table).toMatchInlineSnapshot(`
      " 4 of 100 tasks shown (where the schedule ended, and around its last switches); 96 others ran 960 steps, counted on the "not shown" lines.
        step │ task 12 (writer)          │ task 36 (writer) │ task 37 (writer) │ task 99 (reader)
       ──────┼───────────────────────────┼──────────────────┼──────────────────┼─────────────────
           … │ 536 steps not shown: task 12 ran 6, task 36 ran 5, task 37 ran 5, task 99 ran 5, 96 other tasks ran 515: 0–11, 13–35, 38–98
         537 │                           │ round 5          │                  │
       » 538 │                           │                  │ round 5          │
           … │ 374 steps not shown: task 12 ran 3, task 36 ran 3, task 37 ran 3, task 99 ran 4, 96 other tasks ran 361: 0–11, 13–35, 38–98
         913 │ round 9                   │                  │                  │
           … │ 23 steps not shown: 23 other tasks ran 23: 13–35
         937 │                           │ round 9          │                  │
         938 │                           │                  │ round 9          │
           … │ 61 steps not shown: 61 other tasks ran 61: 38–98
        1000 │                           │                  │                  │ round 9
        1001 │ check ✗ threw Error: boom │                  │                  │"
    `);
  });
});

describe('a long schedule of two tasks', () => {
  it('keeps its only preemption, in the middle, and elides the uneventful stretches', () => {
    // Each step at its own point, so nothing is a spin: 100 steps of task 0, then task 1.
    const steps: [number, string, Extra?][] = [];
    for (let i = 0; i < 100; i++) steps.push([0, `point ${i}`]);
    steps.push([1, 'start', { preempted: true }], [1, 'write'], [1, 'done', { end: 'finished' }]);
    for (let i = 100; i < 200; i++) steps.push([0, `point ${i}`]);
    steps.push([0, 'check', { end: 'failed', thrown: new Error('lost update') }]);
    const table = formatTraceTable(traceOf(steps), ['reader', 'writer'], { maxRows: 12 });

    expect(checkWidth(table)).toBe(12 + 2);
    expect(table).toMatchInlineSnapshot(`
      "  step │ task 0 (reader)                  │ task 1 (writer)
       ──────┼──────────────────────────────────┼────────────────
           … │ 99 steps not shown: task 0 ran 99
         100 │ point 99                         │
       » 101 │                                  │ start
         102 │                                  │ write
         103 │                                  │ done ✓ done
         104 │ point 100                        │
           … │ 95 steps not shown: task 0 ran 95
         200 │ point 196                        │
         201 │ point 197                        │
         202 │ point 198                        │
         203 │ point 199                        │
         204 │ check ✗ threw Error: lost update │"
    `);
  });
});

describe('a task spinning on a point', () => {
  it('is one row per run, with how many times it passed', () => {
    const trace = traceOf([
      [0, 'start'],
      ...Array.from({ length: 57 }, () => [0, 'ready?'] as [number, string]),
      [1, 'start'],
      [1, 'publish'],
      [0, 'ready?', { preempted: true }],
      ...Array.from({ length: 4 }, () => [0, 'poll', { args: [7], result: 'pending' }] as const),
      [0, 'poll', { args: [7], result: 'paid' }],
      [0, 'poll', { args: [7], result: 'paid' }],
      [1, 'audit'],
      [1, 'audit'],
      [1, 'audit', { end: 'finished' }],
      [0, 'charge', { args: [7], end: 'failed', thrown: new Error('charged twice') }],
    ]);
    const table = formatTraceTable(trace, ['pay', 'publish']);

    expect(table).toMatchInlineSnapshot(`
      "  step │ task 0 (pay)                           │ task 1 (publish)
       ──────┼────────────────────────────────────────┼─────────────────
           1 │ start                                  │
        2–58 │ ready? × 57                            │
          59 │                                        │ start
          60 │                                        │ publish
        » 61 │ ready?                                 │
       62–65 │ poll(7) → 'pending' × 4                │
          66 │ poll(7) → 'paid'                       │
          67 │ poll(7) → 'paid'                       │
          68 │                                        │ audit
          69 │                                        │ audit
          70 │                                        │ audit ✓ done
          71 │ charge(7) ✗ threw Error: charged twice │"
    `);
  });
});

describe('a trace of three tasks and a few steps', () => {
  it('is drawn step by step as before: every task a column, every step a row', () => {
    const trace = traceOf([
      [0, 'start'],
      [0, 'getBalance', { args: [1], result: 100 }],
      [1, 'start', { preempted: true }],
      [1, 'getBalance', { args: [1], result: 100 }],
      [1, 'setBalance', { args: [1, 40], result: undefined }],
      [2, 'start', { preempted: true }],
      [2, 'audit'],
      [2, 'audit'],
      [0, 'setBalance', { args: [1, 20], end: 'finished', returned: true }],
      [1, 'log', { end: 'finished', blocked: true }],
      [
        2,
        'getBalance',
        { args: [1], result: 20, end: 'failed', thrown: new Error('balance 20, expected -20') },
      ],
    ]);

    // The same text as the table before schedules of many tasks were drawn otherwise.
    expect(formatTraceTable(trace, ['withdraw', 'withdraw', ''], { maxRows: 60, focus: [2] }))
      .toMatchInlineSnapshot(`
      " step │ task 0 (withdraw)                 │ task 1 (withdraw)    │ task 2
       ─────┼───────────────────────────────────┼──────────────────────┼─────────────────────────────────────────────
          1 │ start                             │                      │
          2 │ getBalance(1) → 100               │                      │
        » 3 │                                   │ start                │
          4 │                                   │ getBalance(1) → 100  │
          5 │                                   │ setBalance(1, 40)    │
        » 6 │                                   │                      │ start
          7 │                                   │                      │ audit
          8 │                                   │                      │ audit
          9 │ setBalance(1, 20) ✓ returned true │                      │
         10 │                                   │ log [blocked] ✓ done │
         11 │                                   │                      │ getBalance(1) → 20 ✗ threw Error: balance 2…"
    `);
  });
});

describe('any trace', () => {
  const arbitraryTrace = fc
    .record({
      tasks: fc.integer({ min: 1, max: 120 }),
      steps: fc.array(
        fc.record({
          task: fc.nat(),
          label: fc.constantFrom('start', 'spin', 'read', 'write a rather long label'),
          preempted: fc.boolean(),
          blocked: fc.boolean(),
        }),
        { minLength: 1, maxLength: 400 },
      ),
      maxRows: fc.integer({ min: 3, max: 60 }),
      focus: fc.array(fc.nat(), { maxLength: 6 }),
    })
    .map(({ tasks, steps, maxRows, focus }) => ({
      tasks,
      maxRows,
      focus: focus.map((task) => task % tasks),
      trace: traceOf(
        steps.map(({ task, label, ...extra }, i) => [
          task % tasks,
          label,
          i === steps.length - 1 ? { ...extra, end: 'failed', thrown: new Error('x') } : extra,
        ]),
      ),
    }));

  it('stays within its width and rows, and draws or counts every preemption', () => {
    fc.assert(
      fc.property(arbitraryTrace, ({ tasks, maxRows, focus, trace }) => {
        const table = formatTraceTable(trace, names(tasks), { maxRows, focus });
        const lines = table.split('\n');
        expect(checkWidth(table)).toBeLessThanOrEqual(maxRows + (tasks > 4 ? 3 : 2));
        const body = lines.slice(tasks > 4 ? 3 : 2);
        const last = trace.at(-1);
        expect(body.at(-1)).toMatch(new RegExp(`^ +(» )?(\\d+–)?${last?.step} │`));
        const drawn = body.filter((line) => /^ +» /.test(line)).length;
        const counted = body
          .map((line) => /not shown \((\d+) preemptions?\)/.exec(line)?.[1])
          .reduce((n, count) => n + Number(count ?? 0), 0);
        expect(drawn + counted).toBe(trace.filter((step) => step.preempted).length);
        // Every step is drawn, in a row or a spin's, or counted on a "not shown" line.
        const steps = body.reduce((n, line) => {
          const row = /^ +(?:» )?(\d+)(?:–(\d+))? │/.exec(line);
          if (row) return n + Number(row[2] ?? row[1]) - Number(row[1]) + 1;
          return n + Number(/(\d+) steps? not shown/.exec(line)?.[1]);
        }, 0);
        expect(steps).toBe(trace.length);
      }),
    );
  });
});

/** SCTBench's twostage as async tasks: writers set data1 then data2; readers check both. */
function twostageSpec(writers: number, readers: number) {
  let data1 = 0;
  let data2 = 0;
  async function writer() {
    await checkpoint('write data1');
    data1 = 1;
    await checkpoint('write data2');
    data2 = data1 + 1;
  }
  async function reader() {
    await checkpoint('read data1');
    const t1 = data1;
    if (t1 === 0) return;
    await checkpoint('read data2');
    const t2 = data2;
    if (t2 !== t1 + 1) throw new Error(`read data1 = ${t1}, then data2 = ${t2}`);
  }
  return {
    setup: () => {
      data1 = 0;
      data2 = 0;
    },
    tasks: [
      ...Array.from({ length: writers }, () => writer),
      ...Array.from({ length: readers }, () => reader),
    ],
  };
}

describe('explore on 100 tasks (twostage: 50 writers, 50 readers)', () => {
  /** The race's table, checked for width; the message is bounded as a whole. */
  function checkReport(message: string, task: number | undefined): string {
    expect(task).toBeGreaterThanOrEqual(50);
    expect(message.split('\n')[0]).toContain(`task ${task} (reader) threw`);
    expect(message.length).toBeLessThan(16_000);
    const table = message.split('\n\n')[1] ?? '';
    checkWidth(table);
    expect(table.split('\n')[1]).toContain(`│ task ${task} (reader)`);
    expect(table).toMatch(/│ read data2 ✗ threw Error: read data1 = 1, then data2 = 0 *(│|$)/m);
    return table;
  }

  it('reports the shrunk schedule with a column for the reader that threw', async () => {
    const race = await raceOf(explore({ ...twostageSpec(50, 50), strategy: 'pct', runs: 10_000 }));

    const table = checkReport(race.message, race.task);
    expect(race.preemptions).toBeGreaterThan(0);
    expect(table).toMatch(/^ +» \d+ │/m);
  });

  it('reports an unshrunk schedule of many switches within its bounds', async () => {
    const race = await raceOf(
      explore({ ...twostageSpec(50, 50), strategy: 'random', shrink: false, runs: 10_000 }),
    );

    const table = checkReport(race.message, race.task);
    const drawn = (table.match(/^ +» /gm) ?? []).length;
    const counted = [...table.matchAll(/not shown \((\d+) preemptions?\)/g)].reduce(
      (n, match) => n + Number(match[1]),
      0,
    );
    expect(drawn + counted).toBe(race.trace.filter((step) => step.preempted).length);
  });
});
