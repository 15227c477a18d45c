/**
 * A replay token records how its schedule ended (#14 item 11): a replay that ends otherwise
 * (another failure, another failing task, other steps blocked) says so.
 */
import { describe, expect, it } from 'vitest';
import { checkpoint, explore, RaceError, type ExploreSpec } from 'interleave';
import { decodeToken, encodeToken } from '../src/explore/replay/token.ts';

async function raceOf(promise: Promise<unknown>): Promise<RaceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RaceError);
  return error as RaceError;
}

/**
 * Task 0 waits for a gate that only task 1 opens, unless it is open already: the first run
 * blocks task 0's first step (it outlasts stepTimeout), a run with the gate open does not.
 * check always fails, so both runs fail, the same way but for that blocked step.
 */
function gated(open: boolean): ExploreSpec<{ open: () => void; gate: Promise<void> }> {
  return {
    setup: () => {
      let openGate: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        openGate = resolve;
      });
      if (open) openGate();
      return { open: openGate, gate };
    },
    tasks: [
      async function waiter(ctx) {
        await ctx.gate;
        await checkpoint('through');
      },
      async function opener(ctx) {
        ctx.open();
        await checkpoint('opened');
      },
    ],
    check: () => {
      throw new Error('check always fails');
    },
    strategy: 'exhaustive',
    stepTimeout: 20,
    shrink: false,
  };
}

describe('the token records the ending', () => {
  it('encodes and reads it back; a format 1 token is still read, without one', () => {
    const token = {
      fingerprint: '0123abcd',
      taskCount: 2,
      segments: [{ task: 0, steps: 2 }],
      outcome: { kind: 'task' as const, task: 1, blocked: [1, 2] },
    };
    expect(encodeToken(token)).toBe('il2.2.0123abcd.0x2.t1b1,2');
    expect(decodeToken('il2.2.0123abcd.0x2.t1b1,2', 'replay')).toEqual(token);
    expect(decodeToken('il1.2.0123abcd.0x2', 'replay')).toEqual({
      fingerprint: '0123abcd',
      taskCount: 2,
      segments: [{ task: 0, steps: 2 }],
    });
    expect(() =>
      decodeToken('il2.2.0123abcd.0x2.t5', '`replay`'),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InterleaveError: \`replay\` is damaged: its ending (t5) names a task or step the token does not have. Copy the whole token again.]`,
    );
    expect(() => decodeToken('il3.2.0123abcd.0x2', '`replay`')).toThrowErrorMatchingInlineSnapshot(
      `[InterleaveError: \`replay\` was made by a version of interleave that writes format 3; this one reads formats 1 and 2. Run the exploration again with this version to get a new token.]`,
    );
  });
});

describe('a replay checks the ending', () => {
  it('the same ending: reproducible', async () => {
    const found = await raceOf(explore(gated(false)));
    // Confirmed before it was reported: its token was replayed once and ended the same way.
    expect(found.reproducible).toBe(true);
    expect(found.replay).toMatch(/\.cb1$/); // check failed, step 1 blocked
    const replayed = await raceOf(explore({ ...gated(false), replay: found.replay }));
    expect(replayed.reproducible).toBe(true);
    expect(replayed.message).not.toContain('did not end as');
  });

  it('another ending (a step that blocked does not): reproducible false, and the message says what differed', async () => {
    const found = await raceOf(explore(gated(false)));
    const replayed = await raceOf(explore({ ...gated(true), replay: found.replay }));
    expect(replayed.reproducible).toBe(false);
    expect(replayed.replay).toMatch(/\.c$/);
    const paragraph = replayed.message.split('\n\n').find((p) => p.startsWith('This replay'));
    expect(paragraph).toMatchInlineSnapshot(
      `"This replay did not end as the token's schedule did: the token recorded that check() failed, with step 1 blocked; in this run, check() failed, with no step blocked. Something outside the scheduler's control (I/O or database timing, real timers) decided part of the order, so the token does not reproduce its schedule exactly; a step blocked in one run and not in the other is the usual sign. Raise stepTimeout if the blocked steps only waited for slow I/O."`,
    );
  });

  it('a replay that passes where the token failed resolves, with one InterleaveWarning', async () => {
    const found = await raceOf(explore(gated(false)));
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const spec = { ...gated(false), check: () => undefined, replay: found.replay };
      expect((await explore(spec)).replayed).toBe(found.replay);
      expect((await explore(spec)).replayed).toBe(found.replay);
      // Warnings are emitted on the next tick.
      await new Promise<void>((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => (w as Error & { code?: string }).code)).toEqual([
      'INTERLEAVE_REPLAY_PASSED',
    ]);
    expect(warnings[0]?.message.replace(found.replay, '<token>')).toMatchInlineSnapshot(
      `"explore replayed <token>, whose schedule failed when the token was made (check() failed, with step 1 blocked), and this time every task finished and check passed. If you fixed the bug, this is the fix working: remove \`replay\` (or INTERLEAVE_REPLAY) to explore the fixed program. If not, something outside the scheduler's control (I/O or database timing, real timers) decided part of the recorded order, so the token does not reproduce it: explore without \`replay\` to find it again."`,
    );
  });
});
