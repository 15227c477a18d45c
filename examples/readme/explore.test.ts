import { expect, it } from 'vitest';
import { explore, yieldAt } from 'interleave';

// The code under test: a withdrawal that reads the balance, checks it, then writes.
const account = {
  balance: 100,
  async read() {
    return this.balance;
  },
  async write(balance: number) {
    this.balance = balance;
  },
};

async function withdraw(amount: number) {
  const balance = await account.read();
  if (balance < amount) return false;
  await account.write(balance - amount);
  return true;
}

it('finds the interleaving in which two withdrawals of 80 both succeed', async () => {
  const run = explore({
    setup: () => {
      account.balance = 100;
    },
    // Every call of read() and write() becomes a point where the scheduler may switch tasks.
    points: () => {
      yieldAt(account, 'read');
      yieldAt(account, 'write');
    },
    tasks: [() => withdraw(80), () => withdraw(80)],
    check: (_ctx, succeeded) => {
      expect(succeeded.filter(Boolean)).toHaveLength(1);
    },
  });

  await expect(run).rejects.toThrowErrorMatchingInlineSnapshot(`
    [RaceError: explore found a schedule in which check() failed (schedule 4 of portfolio, seed 0; 6 steps, 1 preemption, shrunk in 14 replays).

     step │ task 0                    │ task 1
     ─────┼───────────────────────────┼──────────────────────────
        1 │ start                     │
        2 │ read() → 100              │
      » 3 │                           │ start
        4 │                           │ read() → 100
        5 │                           │ write(20) ✓ returned true
        6 │ write(20) ✓ returned true │

    cause: AssertionError: expected [ true, true ] to have a length of 1 but got 2
    expected: 1
    actual:   2

    replay: explore({ ...spec, replay: 'il2.2.1b938caf.0x2-1x3-0x1.c' }) or INTERLEAVE_REPLAY=il2.2.1b938caf.0x2-1x3-0x1.c]
  `);
});
