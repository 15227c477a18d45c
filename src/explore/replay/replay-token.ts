import { InterleaveError } from '../../errors.ts';
import type { ScheduleOutcome } from './outcome.ts';
import { decodeToken, encodeToken, fingerprint, type ReplayToken, type Segment } from './token.ts';

/** Which `explore` call a token belongs to: its tasks, by name and code. */
export interface TaskIdentity {
  readonly names: readonly string[];
  readonly fingerprint: string;
  readonly count: number;
}

/** The identity of `tasks`, which a token must match to replay them. */
export function identify(tasks: readonly ((ctx: never) => unknown)[]): TaskIdentity {
  return {
    names: tasks.map((task) => task.name),
    fingerprint: fingerprint(tasks),
    count: tasks.length,
  };
}

/** The replay token of a schedule of these tasks that ended with `outcome`. */
export function tokenOf(
  identity: TaskIdentity,
  segments: readonly Segment[],
  outcome: ScheduleOutcome | undefined,
): string {
  const { fingerprint, count } = identity;
  return encodeToken({ fingerprint, taskCount: count, segments, ...(outcome && { outcome }) });
}

/**
 * The token to replay: the spec's `replay`, which must be for these tasks, or
 * INTERLEAVE_REPLAY when it was made for this call (another `explore` in the same process
 * explores as usual).
 */
export function tokenToReplay(
  replay: string | undefined,
  identity: TaskIdentity,
): ReplayToken | undefined {
  if (replay !== undefined) {
    const token = decodeToken(replay, '`replay`');
    if (!matches(token, identity)) {
      throw new InterleaveError(
        'ERR_REPLAY_INVALID',
        `\`replay\` was made for another explore() call: the token is for ${token.taskCount} ` +
          `task(s) with fingerprint ${token.fingerprint}, this call has ${identity.count} ` +
          `task(s) (${describeNames(identity.names)}) with fingerprint ${identity.fingerprint}. ` +
          `A token replays only the call it came from (same number of tasks, same task names, ` +
          `and for unnamed tasks the same code); if the tasks changed, explore again for a new ` +
          `token.`,
      );
    }
    return token;
  }
  const fromEnv = process.env.INTERLEAVE_REPLAY;
  if (fromEnv === undefined || fromEnv === '') return undefined;
  const token = decodeToken(fromEnv, 'INTERLEAVE_REPLAY');
  return matches(token, identity) ? token : undefined;
}

function matches(token: ReplayToken, identity: TaskIdentity): boolean {
  return token.fingerprint === identity.fingerprint && token.taskCount === identity.count;
}

function describeNames(names: readonly string[]): string {
  return names.map((name) => name || '(anonymous)').join(', ');
}
