import { describeOutcome, type ScheduleOutcome } from '../replay/outcome.ts';

/** Tokens already warned about in this process (one warning each). */
const warned = new Set<string>();

/**
 * A replay passed although its token recorded a failure: either the bug was fixed, or
 * something outside the scheduler's control decided part of the recorded order. Says so once
 * per token, as an `InterleaveWarning` (`INTERLEAVE_REPLAY_PASSED`).
 */
export function warnReplayPassed(
  token: string,
  recorded: ScheduleOutcome,
  names: readonly string[],
): void {
  if (warned.has(token)) return;
  warned.add(token);
  process.emitWarning(
    `explore replayed ${token}, whose schedule failed when the token was made (` +
      `${describeOutcome(recorded, names)}), and this time every task finished and check ` +
      `passed. If you fixed the bug, this is the fix working: remove \`replay\` (or ` +
      `INTERLEAVE_REPLAY) to explore the fixed program. If not, something outside the ` +
      `scheduler's control (I/O or database timing, real timers) decided part of the recorded ` +
      `order, so the token does not reproduce it: explore without \`replay\` to find it again.`,
    { type: 'InterleaveWarning', code: 'INTERLEAVE_REPLAY_PASSED' },
  );
}
