import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { after, before, explore, type Hook, restoreAll, yieldAt } from 'interleave';
import {
  type CapturedWarnings,
  captureWarnings,
  warningsDelivered,
  withoutLines,
} from './support/hooks.ts';

let captured: CapturedWarnings;

beforeEach(() => {
  captured = captureWarnings();
});

afterEach(() => {
  try {
    restoreAll();
  } finally {
    captured.stop();
  }
});

/** The warnings delivered so far, as `code: message` (lines and columns left out). */
async function warnings(): Promise<string[]> {
  await warningsDelivered();
  return captured.warnings.map((w) => {
    expect(w.name).toBe('InterleaveWarning');
    return `${(w as { code?: string }).code ?? ''}: ${withoutLines(w)}`;
  });
}

/** A coupon service: reads how often a coupon was used, then records one more use. */
function makeService() {
  const db = {
    uses: 0,
    async getUses(): Promise<number> {
      return this.uses;
    },
    async setUses(n: number): Promise<void> {
      this.uses = n;
    },
  };
  const service = {
    async redeem(): Promise<boolean> {
      const uses = await db.getUses();
      if (uses >= 1) return false;
      await db.setUses(uses + 1);
      return true;
    },
  };
  return { db, service };
}

describe('a hook restored before it fired', () => {
  it('warns about `return` inside a `using` block, which restores the hook before the call', async () => {
    const { db, service } = makeService();
    let hook: Hook | undefined;
    // The trap: the scope ends (and restores the hook) as soon as `redeem()` returns its promise.
    const redeemTwice = async () => {
      using h = after(db, 'getUses', () => service.redeem());
      hook = h;
      // eslint-disable-next-line @typescript-eslint/return-await -- the trap under test
      return service.redeem();
    };

    expect(await redeemTwice()).toBe(true);

    expect(hook?.fired).toBe(0);
    expect(await warnings()).toMatchInlineSnapshot(`
      [
        "INTERLEAVE_HOOK_NEVER_FIRED: The after() hook on \`getUses\` (created at test/hooks-unfired.test.ts:<line>:<column>) was restored without ever firing, so what it was meant to do never happened: a race test that relies on it passes without testing the race. It saw 1 call: 1 still running when the hook was restored. It was restored before the call finished (\`return service.run()\` inside a \`using\` block restores the hook as the function returns, before the returned promise has finished the call: write \`return await service.run()\`). Set \`unfired: 'ignore'\` on a hook that may rightly not fire, or \`unfired: 'throw'\` to fail instead of warning.",
      ]
    `);
  });

  it('does not warn once the call is awaited inside the block, and the hook fires', async () => {
    const { db, service } = makeService();
    const redeemTwice = async () => {
      using _hook = after(db, 'getUses', () => service.redeem());
      return await service.redeem();
    };

    expect(await redeemTwice()).toBe(true);

    expect(db.uses).toBe(1); // both redeemed: the race reproduced
    expect(await warnings()).toEqual([]);
  });

  it('says when the hooked method was never called', async () => {
    const { db } = makeService();
    before(db, 'setUses', () => undefined).restore();

    expect(await warnings()).toMatchInlineSnapshot(`
      [
        "INTERLEAVE_HOOK_NEVER_FIRED: The before() hook on \`setUses\` (created at test/hooks-unfired.test.ts:<line>:<column>) was restored without ever firing, so what it was meant to do never happened: a race test that relies on it passes without testing the race. It saw no call of \`setUses\`: either it was restored before the call was made (\`return service.run()\` inside a \`using\` block restores the hook as the function returns, before the returned promise has made the call: write \`return await service.run()\`), or the code under test does not call \`setUses\` through the hooked object (hook the object it calls through, e.g. \`Class.prototype\` for every instance). Set \`unfired: 'ignore'\` on a hook that may rightly not fire, or \`unfired: 'throw'\` to fail instead of warning.",
      ]
    `);
  });

  it('says when `when` never matched, or `skip` outnumbered the calls', async () => {
    const { db } = makeService();
    const filtered = after(db, 'getUses', () => undefined, { when: ({ result }) => result === 5 });
    const skipping = before(db, 'getUses', () => undefined, { skip: 3 });
    await db.getUses();
    await db.getUses();

    filtered.restore();
    skipping.restore();

    const [whenMessage, skipMessage] = await warnings();
    expect(whenMessage).toContain(
      'It saw 2 calls: 2 not accepted by `when`. Check the condition in `when`.',
    );
    expect(skipMessage).toContain(
      'It saw 2 calls: 2 let through by `skip: 3`. `skip` is larger than the number of calls: lower it, or make more calls.',
    );
  });

  it('names the line that created the hook', async () => {
    const { db } = makeService();
    const line = Number(/:(\d+):\d+/.exec(new Error().stack?.split('\n')[1] ?? '')?.[1]) + 1;
    const hook = after(db, 'getUses', () => undefined);
    hook.restore();
    await warningsDelivered();

    expect(captured.warnings[0]?.message).toContain(
      `(created at test/hooks-unfired.test.ts:${line}:18)`,
    );
  });

  it('warns once per hook, however often it is restored', async () => {
    const { db } = makeService();
    const hook = after(db, 'getUses', () => undefined);

    hook.restore();
    hook.restore();
    restoreAll();

    expect(await warnings()).toHaveLength(1);
  });
});

describe('hooks that are not reported', () => {
  it('a hook that fired, all its `times` or fewer', async () => {
    const { db } = makeService();
    const done = after(db, 'getUses', () => undefined, { times: 2 });
    const partly = after(db, 'getUses', () => undefined, { times: 5 });
    await db.getUses();
    await db.getUses();

    expect(done.active).toBe(false);
    partly.restore();

    expect(await warnings()).toEqual([]);
  });

  it("a hook with unfired: 'ignore'", async () => {
    const { db } = makeService();
    after(db, 'getUses', () => undefined, { unfired: 'ignore' }).restore();

    expect(await warnings()).toEqual([]);
  });

  it("explore's points, also a point no schedule reaches, and a hook made in `points`", async () => {
    const { db, service } = makeService();

    const report = await explore({
      strategy: 'exhaustive',
      setup: () => {
        db.uses = 0;
      },
      points: () => {
        yieldAt(db, 'getUses');
        yieldAt(db, 'setUses', { when: () => false });
        after(db, 'setUses', () => undefined, { when: () => false });
      },
      tasks: [() => service.redeem(), () => service.redeem()],
    });

    expect(report.schedules).toBeGreaterThan(1);
    expect(await warnings()).toEqual([]);
  });
});

describe("a yieldAt() point restored before it fired: its `triggered` gives yieldAt()'s reasons only", () => {
  it('restored outside explore, before any call', async () => {
    const { db } = makeService();
    const point = yieldAt(db, 'getUses');
    const triggered = point.triggered;

    point.restore();

    expect(await warnings()).toEqual([]);
    await expect(triggered).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InterleaveError: The yieldAt() hook on \`getUses\` was restored before it fired, so \`triggered\` can never resolve. It saw no call of \`getUses\`: either it was restored before the call was made (explore restores the yieldAt() points made in \`points\` at the end of every schedule, and a schedule may end, finished or failed, before a task has made the call), or the code under test does not call \`getUses\` through the hooked object (hook the object it calls through, e.g. \`Class.prototype\` for every instance).]`,
    );
  });

  it('made in `points`, in schedules whose tasks never reach it, or where `when` refused', async () => {
    const { db, service } = makeService();
    const triggered: Promise<unknown>[] = [];

    // No task reaches a point: an exploration with nothing to explore, not a pass.
    await expect(
      explore({
        strategy: 'exhaustive',
        points: () => {
          triggered.push(yieldAt(db, 'setUses').triggered);
          triggered.push(yieldAt(db, 'getUses', { when: () => false }).triggered);
        },
        setup: () => {
          db.uses = 1; // so redeem() reads, and never writes
        },
        tasks: [() => service.redeem(), () => service.redeem()],
      }),
    ).rejects.toMatchObject({ code: 'ERR_NOTHING_TO_EXPLORE' });

    const [neverCalled, refused] = await Promise.all(
      triggered.slice(0, 2).map((promise) => promise.catch((error: unknown) => error)),
    );
    expect(neverCalled).toMatchInlineSnapshot(
      `[InterleaveError: The yieldAt() hook on \`setUses\` was restored before it fired, so \`triggered\` can never resolve. It saw no call of \`setUses\`: either it was restored before the call was made (explore restores the yieldAt() points made in \`points\` at the end of every schedule, and a schedule may end, finished or failed, before a task has made the call), or the code under test does not call \`setUses\` through the hooked object (hook the object it calls through, e.g. \`Class.prototype\` for every instance).]`,
    );
    expect(refused).toMatchInlineSnapshot(
      `[InterleaveError: The yieldAt() hook on \`getUses\` was restored before it fired, so \`triggered\` can never resolve. It saw 2 calls: 2 not accepted by \`when\`. Check the condition in \`when\`.]`,
    );
  });
});

describe("unfired: 'throw'", () => {
  it('restore() throws ERR_HOOK_NEVER_FIRED, after restoring the hook', () => {
    const { db } = makeService();
    const original = db.getUses;
    const hook = after(db, 'getUses', () => undefined, { unfired: 'throw' });

    let error: unknown;
    try {
      hook.restore();
    } catch (thrown) {
      error = thrown;
    }

    expect(db.getUses).toBe(original);
    expect(hook.active).toBe(false);
    expect(error).toMatchObject({ name: 'InterleaveError', code: 'ERR_HOOK_NEVER_FIRED' });
    expect(withoutLines(error)).toMatchInlineSnapshot(
      `"The after() hook on \`getUses\` (created at test/hooks-unfired.test.ts:<line>:<column>) was restored without ever firing, so what it was meant to do never happened: a race test that relies on it passes without testing the race. It saw no call of \`getUses\`: either it was restored before the call was made (\`return service.run()\` inside a \`using\` block restores the hook as the function returns, before the returned promise has made the call: write \`return await service.run()\`), or the code under test does not call \`getUses\` through the hooked object (hook the object it calls through, e.g. \`Class.prototype\` for every instance). Set \`unfired: 'ignore'\` on a hook that may rightly not fire."`,
    );
    expect(() => hook.restore()).not.toThrow(); // restored once, reported once
  });

  it('rejects `triggered` with ERR_HOOK_RESTORED, as without the option', async () => {
    const { db } = makeService();
    const hook = after(db, 'getUses', () => undefined, { unfired: 'throw' });
    const triggered = hook.triggered;

    expect(() => hook.restore()).toThrow(expect.objectContaining({ code: 'ERR_HOOK_NEVER_FIRED' }));
    await expect(triggered).rejects.toMatchObject({ code: 'ERR_HOOK_RESTORED' });
  });

  it('`using` throws it at the end of the scope', async () => {
    const { db, service } = makeService();
    const redeemTwice = async () => {
      using _hook = after(db, 'getUses', () => service.redeem(), { unfired: 'throw' });
      // eslint-disable-next-line @typescript-eslint/return-await -- the trap under test
      return service.redeem();
    };

    await expect(redeemTwice()).rejects.toMatchObject({ code: 'ERR_HOOK_NEVER_FIRED' });
    expect(await warnings()).toEqual([]);
  });

  it('restoreAll() restores every hook, then throws the one error, or an AggregateError', () => {
    const { db } = makeService();
    const original = { getUses: db.getUses, setUses: db.setUses };
    after(db, 'getUses', () => undefined, { unfired: 'throw' });
    expect(() => restoreAll()).toThrow(expect.objectContaining({ code: 'ERR_HOOK_NEVER_FIRED' }));

    after(db, 'getUses', () => undefined, { unfired: 'throw' });
    before(db, 'setUses', () => undefined, { unfired: 'throw' });
    after(db, 'setUses', () => undefined, { unfired: 'ignore' });
    let error: unknown;
    try {
      restoreAll();
    } catch (thrown) {
      error = thrown;
    }

    expect(db).toMatchObject(original);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).message).toMatchInlineSnapshot(
      `"restoreAll() restored every hook, but 2 of them (with \`unfired: 'throw'\`) never fired; \`errors\` holds each one's ERR_HOOK_NEVER_FIRED, which says why."`,
    );
    expect((error as AggregateError).errors.map((e: Error) => e.message.slice(0, 30))).toEqual([
      'The after() hook on `getUses` ',
      'The before() hook on `setUses`',
    ]);
  });
});
