/**
 * SCTBench's `concurrent-software-benchmarks` (issue 15): for each port of bench/sctbench,
 * how many schedules each strategy runs before it hits the bug, and how many runs fast-check's
 * scheduler needs on the same port (each point an `s.schedule(...)`, same seeds). Every cell
 * stops at `cap` schedules or after `seconds` (twostage_100's schedules are 800 steps of 100
 * tasks); a capped cell says which.
 */
import { checkpoint, explore, type ExploreSpec, RaceError } from 'interleave';
import { fastCheckRunsToBug } from './sctbench/fast-check.ts';
import { type LockStyle, program, programs, type SctProgram } from './sctbench/index.ts';

/** Only ports of at most this many tasks are explored exhaustively (the limit). */
const EXHAUSTIVE_MAX_THREADS = 4;
/** In-memory programs: see test/support/sctbench.ts. */
const TIMING = { stepTimeout: 0, settleTimeout: 10 } as const;

/** One strategy's result on one port: schedules to the bug, or why there is no number. */
export type Cell =
  | { kind: 'found'; schedules: number }
  /** Another failure than the port's bug: a false livelock, say. */
  | { kind: 'other'; schedules: number; code: string }
  | { kind: 'passed'; schedules: number; exhausted: boolean }
  | { kind: 'timed out'; schedules: number; seconds: number }
  | { kind: 'not run' };

export interface SctRow {
  name: string;
  threads: number;
  /** Median steps per schedule, over every schedule the strategies ran on it. */
  steps: number;
  bound: number;
  default: Cell;
  pct: Cell[];
  random: Cell;
  exhaustive: Cell;
  fastCheck: Cell[];
}

/** Thrown by `check` once a cell's time is up: ends `explore` between two schedules. */
class TimeUp extends Error {}

async function cell(
  p: SctProgram,
  locks: LockStyle,
  options: Partial<ExploreSpec<unknown>>,
  seconds: number,
  onSteps: (steps: number) => void,
): Promise<Cell> {
  let points = 0;
  const fragment = p.spec({
    locks,
    point: (label) => {
      points++;
      return checkpoint(label);
    },
  });
  const deadline = performance.now() + seconds * 1000;
  try {
    const report = await explore({
      ...fragment,
      ...TIMING,
      shrink: false,
      ...options,
      check: (ctx, results) => {
        if (performance.now() > deadline) throw new TimeUp();
        return fragment.check?.(ctx, results);
      },
      teardown: () => {
        onSteps(points + p.threads);
        points = 0;
      },
    });
    return { kind: 'passed', schedules: report.schedules, exhausted: report.exhausted };
  } catch (error) {
    if (!(error instanceof RaceError)) throw error;
    if (error.cause instanceof TimeUp) {
      return { kind: 'timed out', schedules: error.schedule - 1, seconds };
    }
    const expected = p.bug === 'deadlock' && locks === 'handover' ? 'ERR_DEADLOCK' : undefined;
    const isBug =
      (expected === undefined && error.code === 'ERR_RACE_FOUND') ||
      (expected !== undefined && error.code === expected) ||
      (p.bug === 'deadlock' && locks === 'spin' && error.code === 'ERR_LIVELOCK');
    return isBug
      ? { kind: 'found', schedules: error.schedule }
      : { kind: 'other', schedules: error.schedule, code: error.code };
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Measures one port (with `locks`): every strategy, then fast-check with the same seeds. */
export async function benchProgram(
  p: SctProgram,
  locks: LockStyle,
  cap: number,
  seconds: number,
): Promise<SctRow> {
  const steps: number[] = [];
  const measure = (options: Partial<ExploreSpec<unknown>>) =>
    cell(p, locks, options, seconds, (n) => steps.push(n));
  const pct: Cell[] = [];
  for (const seed of [0, 1, 2]) pct.push(await measure({ strategy: 'pct', seed, runs: cap }));
  const fastCheck: Cell[] = [];
  for (const seed of [0, 1, 2]) {
    if (locks === 'spin') {
      fastCheck.push({ kind: 'not run' });
      continue;
    }
    const runs = await fastCheckRunsToBug(p, seed, cap);
    fastCheck.push(
      runs === undefined
        ? { kind: 'passed', schedules: cap, exhausted: false }
        : { kind: 'found', schedules: runs },
    );
  }
  const defaults = await measure({ runs: cap });
  const random = await measure({ strategy: 'random', runs: cap });
  const exhaustive: Cell =
    p.threads <= EXHAUSTIVE_MAX_THREADS
      ? await measure({ strategy: 'exhaustive', maxPreemptions: p.bound })
      : { kind: 'not run' };
  return {
    name: locks === 'spin' ? `${p.name} (spin locks)` : p.name,
    threads: p.threads,
    steps: median(steps),
    bound: p.bound,
    default: defaults,
    pct,
    random,
    exhaustive,
    fastCheck,
  };
}

/** Every port with handover locks, then token_ring and wronglock with spin locks. */
export async function benchSctbench(
  cap: number,
  seconds: number,
  onRow?: (row: SctRow) => void,
): Promise<SctRow[]> {
  const rows: SctRow[] = [];
  const runs: [SctProgram, LockStyle][] = [
    ...programs.map((p): [SctProgram, LockStyle] => [p, 'handover']),
    [program('token_ring'), 'spin'],
    [program('wronglock'), 'spin'],
  ];
  for (const [p, locks] of runs) {
    const row = await benchProgram(p, locks, cap, seconds);
    rows.push(row);
    onRow?.(row);
  }
  return rows;
}

function show(c: Cell): string {
  switch (c.kind) {
    case 'found':
      return String(c.schedules);
    case 'other':
      return `${c.code === 'ERR_LIVELOCK' ? 'livelock' : c.code} (${c.schedules})`;
    case 'passed':
      return c.exhausted ? `none (exhausted at ${c.schedules})` : `>${c.schedules}`;
    case 'timed out':
      return `>${c.schedules} (${c.seconds} s)`;
    case 'not run':
      return '–';
  }
}

const HEADERS = [
  'program',
  'threads',
  'steps',
  'default',
  'pct seeds 0 / 1 / 2',
  'random',
  'exhaustive (bound)',
  'fast-check seeds 0 / 1 / 2',
];

function cellsOf(row: SctRow): string[] {
  const exhaustive =
    row.exhaustive.kind === 'not run' ? '–' : `${show(row.exhaustive)} (${row.bound})`;
  return [
    row.name,
    String(row.threads),
    String(row.steps),
    show(row.default),
    row.pct.map(show).join(' / '),
    show(row.random),
    exhaustive,
    row.fastCheck.every((c) => c.kind === 'not run') ? '–' : row.fastCheck.map(show).join(' / '),
  ];
}

/** The table in markdown, to paste into docs/explore.md. */
export function markdownTable(rows: readonly SctRow[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(HEADERS),
    line(HEADERS.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...rows.map((row) => line(cellsOf(row))),
  ].join('\n');
}

const WIDTHS = [26, 7, 6, 16, 30, 16, 24, 26];

function aligned(cells: readonly string[]): string {
  return cells
    .map((text, i) => (i === 0 ? text.padEnd(WIDTHS[i] ?? 0) : text.padStart(WIDTHS[i] ?? 0)))
    .join(' ');
}

/** One row as aligned text, printed as soon as it is measured. */
export function textRow(row: SctRow): string {
  return aligned(cellsOf(row));
}

/** The header of {@link textRow}'s rows. */
export function textHeader(): string {
  return aligned(HEADERS);
}
