import type { RunResult } from '../engine/run-types.ts';

/**
 * How a schedule ended, as a replay token records it: a replay that ends otherwise did not
 * reproduce the schedule (something outside the scheduler's control decided part of it).
 */
export interface ScheduleOutcome {
  /** `pass`, a task threw (`task`), `check` failed, a deadlock, a livelock. */
  readonly kind: 'pass' | 'task' | 'check' | 'deadlock' | 'livelock';
  /** The task that threw, for `task`. */
  readonly task?: number;
  /** The steps (1-based) that outlasted `stepTimeout`: blocked outside the scheduler. */
  readonly blocked: readonly number[];
}

const LETTER = { pass: 'p', task: 't', check: 'c', deadlock: 'd', livelock: 'l' } as const;
const KIND: Record<string, ScheduleOutcome['kind']> = {
  p: 'pass',
  t: 'task',
  c: 'check',
  d: 'deadlock',
  l: 'livelock',
};

/** The outcome of a schedule; undefined when it ended in a usage error (nothing to replay). */
export function outcomeOf(result: RunResult): ScheduleOutcome | undefined {
  const failure = result.failure;
  if (failure?.kind === 'abort') return undefined;
  const blocked = result.trace.flatMap((step) => (step.blocked ? [step.step] : []));
  if (failure === undefined) return { kind: 'pass', blocked };
  if (failure.kind === 'task') return { kind: 'task', task: failure.task, blocked };
  return { kind: failure.kind, blocked };
}

/** `t1b3,4`: the kind's letter, the failing task, `b` and the blocked steps. */
export function encodeOutcome(outcome: ScheduleOutcome): string {
  const blocked = outcome.blocked.length > 0 ? `b${outcome.blocked.join(',')}` : '';
  return `${LETTER[outcome.kind]}${outcome.task ?? ''}${blocked}`;
}

/** The pattern of an encoded outcome, for the token's regular expression. */
export const OUTCOME_PATTERN = '[ptcdl]\\d*(?:b\\d+(?:,\\d+)*)?';

/** Parses what {@link encodeOutcome} wrote (already matched by {@link OUTCOME_PATTERN}). */
export function parseOutcome(text: string): ScheduleOutcome {
  const match = /^([ptcdl])(\d*)(?:b([\d,]+))?$/.exec(text);
  const kind = KIND[match?.[1] ?? 'p'] ?? 'pass';
  const task = match?.[2] ? Number(match[2]) : undefined;
  const blocked = match?.[3] ? match[3].split(',').map(Number) : [];
  return kind === 'task' && task !== undefined ? { kind, task, blocked } : { kind, blocked };
}

/** True when two runs ended the same way: same kind, same failing task, same blocked steps. */
export function sameOutcome(a: ScheduleOutcome, b: ScheduleOutcome): boolean {
  return (
    a.kind === b.kind &&
    a.task === b.task &&
    a.blocked.length === b.blocked.length &&
    a.blocked.every((step, i) => step === b.blocked[i])
  );
}

/** E.g. "task 1 (transfer) threw, with step 3 blocked". */
export function describeOutcome(outcome: ScheduleOutcome, names: readonly string[]): string {
  const what =
    outcome.kind === 'pass'
      ? 'every task finished and check passed'
      : outcome.kind === 'task'
        ? `task ${outcome.task}${names[outcome.task ?? -1] ? ` (${names[outcome.task ?? -1]})` : ''} threw`
        : outcome.kind === 'check'
          ? 'check() failed'
          : outcome.kind === 'deadlock'
            ? 'the tasks deadlocked'
            : 'the schedule did not finish (a livelock)';
  const n = outcome.blocked.length;
  const blocked =
    n === 0 ? 'no step blocked' : `step${n === 1 ? '' : 's'} ${outcome.blocked.join(', ')} blocked`;
  return `${what}, with ${blocked}`;
}
