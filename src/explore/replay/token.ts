import { InterleaveError } from '../../errors.ts';
import { describeValue } from '../../internal/describe.ts';
import { invalid } from '../../internal/options.ts';
import { encodeOutcome, OUTCOME_PATTERN, parseOutcome, type ScheduleOutcome } from './outcome.ts';

/** "Run task `task` for `steps` steps": the unit a schedule is stored and shrunk in. */
export interface Segment {
  readonly task: number;
  readonly steps: number;
}

/** What a replay token holds. */
export interface ReplayToken {
  readonly fingerprint: string;
  readonly taskCount: number;
  readonly segments: readonly Segment[];
  /** How the schedule ended when the token was made (format 2; absent in format 1 tokens). */
  readonly outcome?: ScheduleOutcome;
}

/** The format written; format 1 (no outcome) is still read. */
const VERSION = 2;
const READS = [1, 2];
const TOKEN = new RegExp(
  `^il(\\d+)\\.(\\d+)\\.([0-9a-f]{8})\\.((?:\\d+x\\d+)(?:-\\d+x\\d+)*)?(?:\\.(${OUTCOME_PATTERN}))?$`,
);
/** Bounds that no real schedule reaches, so a damaged token cannot exhaust memory. */
const MAX_TASKS = 10_000;
const MAX_STEPS = 10_000_000;

/**
 * A short hash of what identifies an `explore` call across edits of the program under test:
 * the number of tasks and, for each, its function name, or its source text when it has no
 * name (inline arrows: `() => withdraw(80)`), so that unrelated calls with anonymous tasks do
 * not share tokens while a named task fixed in place keeps its token. A token replays only in
 * a call with the same fingerprint.
 */
export function fingerprint(tasks: readonly Function[]): string {
  let hash = 0x811c9dc5;
  const keys = tasks.map((task) => task.name || Function.prototype.toString.call(task));
  const text = `${tasks.length}|${keys.join('|')}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Turns the task of each step into segments, e.g. [0, 0, 1, 0] into 0x2, 1x1, 0x1. */
export function toSegments(tasks: readonly number[]): Segment[] {
  const segments: Segment[] = [];
  for (const task of tasks) {
    const last = segments.at(-1);
    if (last?.task === task) segments[segments.length - 1] = { task, steps: last.steps + 1 };
    else segments.push({ task, steps: 1 });
  }
  return segments;
}

/**
 * `il2.2.7f3a2c1e.0x3-1x4-0x2.t1b5`: version, task count, fingerprint, segments, and how the
 * schedule ended (here: task 1 threw, step 5 blocked).
 */
export function encodeToken(token: ReplayToken): string {
  const body = token.segments.map((s) => `${s.task}x${s.steps}`).join('-');
  const outcome = token.outcome === undefined ? '' : `.${encodeOutcome(token.outcome)}`;
  return `il${VERSION}.${token.taskCount}.${token.fingerprint}.${body}${outcome}`;
}

/** Parses a token, or throws `ERR_REPLAY_INVALID` saying what is wrong with it. */
export function decodeToken(text: unknown, source: string): ReplayToken {
  if (typeof text !== 'string') {
    invalid(
      { api: 'explore', argument: source.replaceAll('`', ''), subject: source },
      "a replay token string such as 'il2.2.7f3a2c1e.0x2-1x3'",
      text,
      "Copy the token from the RaceError's message or its `.replay`.",
    );
  }
  const version = /^il(\d+)\./.exec(text.trim())?.[1];
  if (version !== undefined && !READS.includes(Number(version))) {
    throw new InterleaveError(
      'ERR_REPLAY_INVALID',
      `${source} was made by a version of interleave that writes format ${version}; this one ` +
        `reads formats ${READS.join(' and ')}. Run the exploration again with this version to ` +
        `get a new token.`,
    );
  }
  const match = TOKEN.exec(text.trim());
  if (!match) {
    throw new InterleaveError(
      'ERR_REPLAY_INVALID',
      `${source} is not a replay token: got ${describeValue(text)}, expected the form ` +
        `'il2.<tasks>.<fingerprint>.<task>x<steps>-...' (e.g. 'il2.2.7f3a2c1e.0x2-1x3'). Copy the ` +
        `whole token from the RaceError's message or its \`.replay\` property.`,
    );
  }
  const [, , count = '', tasksFingerprint = '', body = '', outcomeText] = match;
  const taskCount = Number(count);
  const segments = body === '' ? [] : body.split('-').map(parseSegment);
  const total = segments.reduce((sum, segment) => sum + segment.steps, 0);
  if (taskCount < 1 || taskCount > MAX_TASKS || total > MAX_STEPS) {
    throw new InterleaveError(
      'ERR_REPLAY_INVALID',
      `${source} is damaged: it claims ${taskCount} task(s) and ${total} step(s), more than ` +
        `any schedule explore makes. Copy the whole token again.`,
    );
  }
  for (const segment of segments) {
    // Index `taskCount` is the timers' lane (`time: 'virtual'`), after the tasks.
    if (segment.task > taskCount || segment.steps < 1) {
      throw new InterleaveError(
        'ERR_REPLAY_INVALID',
        `${source} is damaged: it names task ${segment.task} for ${segment.steps} step(s), but ` +
          `it was made for ${taskCount} task(s). Copy the whole token again.`,
      );
    }
  }
  if (outcomeText === undefined) return { fingerprint: tasksFingerprint, taskCount, segments };
  const outcome = parseOutcome(outcomeText);
  if ((outcome.task ?? 0) >= taskCount || outcome.blocked.some((step) => step > MAX_STEPS)) {
    throw new InterleaveError(
      'ERR_REPLAY_INVALID',
      `${source} is damaged: its ending (${outcomeText}) names a task or step the token does ` +
        `not have. Copy the whole token again.`,
    );
  }
  return { fingerprint: tasksFingerprint, taskCount, segments, outcome };
}

function parseSegment(text: string): Segment {
  const [task = '', steps = ''] = text.split('x');
  return { task: Number(task), steps: Number(steps) };
}
