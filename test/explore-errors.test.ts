import { afterEach, describe, expect, it } from 'vitest';
import { explore, InterleaveError, restoreAll, yieldAt } from 'interleave';
import { Progress } from '../src/explore/report/progress.ts';
import { raceOf } from './support/explore.ts';

afterEach(() => {
  restoreAll();
});

const task = async () => {};

describe('explore() validates its spec', () => {
  it.each([
    ['no spec', undefined],
    ['no tasks', {}],
    ['an empty task list', { tasks: [] }],
    ['a task that is not a function', { tasks: [task, 'task'] }],
    ['a misspelt field', { tasks: [task], strategey: 'pct' }],
    ['an unknown strategy', { tasks: [task], strategy: 'dfs' }],
    ['a negative preemption bound', { tasks: [task], maxPreemptions: -1 }],
    ['zero runs', { tasks: [task], runs: 0 }],
    ['a seed out of range', { tasks: [task], seed: 2 ** 32 }],
    ['a negative stepTimeout', { tasks: [task], stepTimeout: -1 }],
    ['a settleTimeout of 0', { tasks: [task], settleTimeout: 0 }],
    ['a check that is not a function', { tasks: [task], check: true }],
  ])('%s', async (_name, spec) => {
    await expect(explore(spec as never)).rejects.toBeInstanceOf(TypeError);
  });

  it('names the field, what it expected and what it got', async () => {
    await expect(
      explore({ tasks: [task, 'task'] } as never),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`tasks[1]\` of explore() to be a function (ctx) => ..., got a string ("task"). Pass the function itself, not the result of calling it.]`,
    );
    await expect(
      explore({ tasks: [task], strategey: 'pct' } as never),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Unknown field \`strategey\` in the spec of explore(): expected only \`setup\`, \`teardown\`, \`tasks\`, \`points\`, \`check\`, \`strategy\`, \`maxPreemptions\`, \`maxDelays\`, \`runs\`, \`depth\`, \`maxSteps\`, \`seed\`, \`replay\`, \`stepTimeout\`, \`settleTimeout\`, \`callbackTimeout\`, \`shrink\`, \`time\`. Check the spelling.]`,
    );
    await expect(
      explore({ tasks: [task], strategy: 'dfs' } as never),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`strategy\` of explore() to be one of 'exhaustive', 'pct', 'random', 'portfolio', 'delay-bounded', got a string ("dfs"). Leave it out for 'portfolio'.]`,
    );
  });
});

describe('replay tokens', () => {
  it('a malformed token is ERR_REPLAY_INVALID, saying what a token looks like', async () => {
    await expect(
      explore({ tasks: [task], replay: 'il1.garbage' }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InterleaveError: \`replay\` is not a replay token: got a string ("il1.garbage"), expected the form 'il2.<tasks>.<fingerprint>.<task>x<steps>-...' (e.g. 'il2.2.7f3a2c1e.0x2-1x3'). Copy the whole token from the RaceError's message or its \`.replay\` property.]`,
    );
  });

  it('a token from a newer format, or naming a task that does not exist, is refused', async () => {
    await expect(explore({ tasks: [task], replay: 'il9.1.00000000.0x1' })).rejects.toMatchObject({
      code: 'ERR_REPLAY_INVALID',
      message: expect.stringContaining('writes format 9') as unknown,
    });
    await expect(explore({ tasks: [task], replay: 'il1.1.00000000.3x1' })).rejects.toMatchObject({
      code: 'ERR_REPLAY_INVALID',
      message: expect.stringContaining('names task 3') as unknown,
    });
  });

  it('a token made for another explore() call is ERR_REPLAY_INVALID', async () => {
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        tasks: [
          async function withdraw() {
            throw new Error('x');
          },
        ],
      }),
    );

    await expect(
      explore({
        tasks: [async function deposit() {}, async function audit() {}],
        replay: race.replay,
      }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InterleaveError: \`replay\` was made for another explore() call: the token is for 1 task(s) with fingerprint f88dfe3a, this call has 2 task(s) (deposit, audit) with fingerprint 46996ccc. A token replays only the call it came from (same number of tasks, same task names, and for unnamed tasks the same code); if the tasks changed, explore again for a new token.]`,
    );
  });

  it('a malformed INTERLEAVE_REPLAY fails loudly instead of being ignored', async () => {
    const previous = process.env.INTERLEAVE_REPLAY;
    process.env.INTERLEAVE_REPLAY = 'not-a-token';
    try {
      await expect(explore({ tasks: [task] })).rejects.toMatchObject({
        code: 'ERR_REPLAY_INVALID',
        message: expect.stringMatching(/^INTERLEAVE_REPLAY is not a replay token/) as unknown,
      });
    } finally {
      if (previous === undefined) delete process.env.INTERLEAVE_REPLAY;
      else process.env.INTERLEAVE_REPLAY = previous;
    }
  });
});

describe('yieldAt', () => {
  it('on a synchronous method: explore throws ERR_ASYNC_HOOK_ON_SYNC_FUNCTION, not a race', async () => {
    const store = { count: 0, getCount: () => store.count };

    const error: unknown = await explore({
      points: () => {
        yieldAt(store, 'getCount');
      },
      tasks: [async () => store.getCount()],
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InterleaveError);
    expect((error as InterleaveError).code).toBe('ERR_ASYNC_HOOK_ON_SYNC_FUNCTION');
    expect((error as Error).message).toMatchInlineSnapshot(
      `"The yieldAt() hook on \`getCount\` returned a promise, so \`getCount\` was called once it settled; but \`getCount\` is synchronous (it returned a number (0)), and its caller has already received a promise instead. yieldAt() without \`callback\` or \`defer\` needs a method that returns a promise, because the caller must wait while the scheduler runs other tasks. For a method that takes a callback last (\`fs.stat(path, cb)\`), pass \`{ callback: true }\`; for a method whose return value the caller does not use (\`emitter.emit('x')\`), pass \`{ defer: true }\`; or put \`await checkpoint(...)\` in the calling code."`,
    );
  });

  it('outside explore, calls pass through untouched and restore() puts the method back', async () => {
    const db = {
      async getCount() {
        return 7;
      },
    };
    const original = db.getCount;

    const hook = yieldAt(db, 'getCount');
    const value = await db.getCount();
    hook.restore();

    expect(value).toBe(7);
    expect(hook.calls).toBe(1);
    expect(db.getCount).toBe(original);
  });

  it('validates its arguments', () => {
    const db = {
      async getCount() {
        return 1;
      },
    };

    expect(() => yieldAt(db, 'gteCount' as 'getCount')).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`gteCount\` to be a function on the target, got undefined. Functions on the target: getCount. Check the name, and pass the object that holds the method (an instance, \`Class.prototype\` for all instances, or the class for a static method).]`,
    );
    expect(() =>
      yieldAt(db, 'getCount', { lable: 'x' } as never),
    ).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Unknown option \`lable\` in the options of yieldAt(): expected only \`label\`, \`when\`, \`callback\`, \`defer\`. Check the spelling.]`,
    );
    expect(() => yieldAt(db, 'getCount', { label: '' })).toThrow(/options\.label/);
    expect(() => yieldAt(db, 'getCount', { when: 1 as never })).toThrow(/options\.when/);
  });
});

describe('progress', () => {
  function fakeTerminal(isTTY: boolean) {
    const written: string[] = [];
    let now = 0;
    const progress = new Progress(
      { isTTY, write: (text: string) => written.push(text) },
      () => now,
    );
    return { written, progress, advance: (ms: number) => (now += ms) };
  }

  it('on a TTY: silent for the first second, then at most five updates a second, erased at the end', () => {
    const { written, progress, advance } = fakeTerminal(true);

    progress.update({ schedules: 1, failures: 0, phase: 'exploring' });
    advance(1500);
    progress.update({ schedules: 200, failures: 0, phase: 'exploring' });
    advance(50);
    progress.update({ schedules: 210, failures: 0, phase: 'exploring' });
    advance(300);
    progress.update({ schedules: 300, failures: 2, phase: 'shrinking' });
    progress.done();

    expect(written).toEqual([
      '\r\x1b[2Kinterleave explore: exploring, 200 schedules, 0 failing, 1.5 s',
      '\r\x1b[2Kinterleave explore: shrinking, 300 schedules, 2 failing, 1.9 s',
      '\r\x1b[2K',
    ]);
  });

  it('writes nothing when the stream is not a TTY', () => {
    const { written, progress, advance } = fakeTerminal(false);

    advance(5000);
    progress.update({ schedules: 1000, failures: 0, phase: 'exploring' });
    progress.done();

    expect(written).toEqual([]);
  });
});
