/**
 * The `return` inside `using` trap: a hook declared with `using` is restored when its block
 * ends, and `return promise` ends the block before the promise has run the hooked call. The
 * hook never fires, the race never happens, and the race test passes with the bug present.
 * interleave warns about it (INTERLEAVE_HOOK_NEVER_FIRED); `return await` is the fix.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { after } from 'interleave';
import {
  type CapturedWarnings,
  captureWarnings,
  warningsDelivered,
} from '../../test/support/hooks.ts';

/** A single-use coupon: redeeming reads how often it was used, then records one more use. */
const coupons = {
  uses: 0,
  async getUses(): Promise<number> {
    return this.uses;
  },
  async setUses(n: number): Promise<void> {
    this.uses = n;
  },
};

/** The bug under test: check, then act. Two overlapping redemptions both succeed. */
async function redeem(): Promise<boolean> {
  const uses = await coupons.getUses();
  if (uses >= 1) return false;
  await coupons.setUses(uses + 1);
  return true;
}

/** What the second request (the one the hook sends) returned. */
let second: boolean | undefined;
let captured: CapturedWarnings;

beforeEach(() => {
  coupons.uses = 0;
  second = undefined;
  captured = captureWarnings(); // collected here instead of printed
});

afterEach(() => {
  captured.stop();
});

// #region trap
async function redeemWhileAnotherRedeems(): Promise<boolean> {
  using _hook = after(coupons, 'getUses', async () => {
    second = await redeem(); // a second request, right after the first one read
  });
  // eslint-disable-next-line @typescript-eslint/return-await -- the trap, on purpose
  return redeem(); // WRONG: the block ends here, and restores the hook before `getUses` returns
}
// #endregion

it('the trap: the hook never fires, so no race happens (and interleave warns)', async () => {
  expect(await redeemWhileAnotherRedeems()).toBe(true);
  await warningsDelivered();

  expect(second).toBeUndefined(); // no second request ran: a race test would pass
  expect(captured.warnings).toMatchObject([{ code: 'INTERLEAVE_HOOK_NEVER_FIRED' }]);
});

// #region fix
async function redeemWhileAnotherRedeemsFixed(): Promise<boolean> {
  using _hook = after(coupons, 'getUses', async () => {
    second = await redeem();
  });
  return await redeem(); // the hook stays installed until the call is done
}
// #endregion

it('the fix: with `return await`, the hook fires and the double redemption shows', async () => {
  expect(await redeemWhileAnotherRedeemsFixed()).toBe(true);
  await warningsDelivered();

  expect(second).toBe(true); // the single-use coupon was redeemed twice: the bug, reproduced
  expect(captured.warnings).toEqual([]);
});
