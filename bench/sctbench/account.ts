/**
 * account_bad.c: a deposit and a withdrawal under one mutex, and a third thread that, once
 * both are done, checks the balance against the wrong formula (x - y - z instead of
 * x + y - z). The bug needs no preemption: the checker only has to run last.
 * `fixed` is account_ok.c, the right formula.
 */
import { fragment, type SctProgram } from './program.ts';
import { assert, type PortOptions, Shared } from './support.ts';

function account(options: PortOptions | undefined, expected: 'wrong' | 'right') {
  return fragment({
    setup: () => {
      const shared = new Shared(options);
      return {
        m: shared.mutex('m'),
        x: shared.cell('x', 1),
        y: shared.cell('y', 2),
        z: shared.cell('z', 4),
        balance: shared.cell('balance', 1),
        depositDone: shared.cell('deposit_done', false),
        withdrawDone: shared.cell('withdraw_done', false),
      };
    },
    // In the order main creates them.
    tasks: [
      async function checkResult(s) {
        await s.m.lock();
        if ((await s.depositDone.get()) && (await s.withdrawDone.get())) {
          const balance = await s.balance.get();
          const x = await s.x.get();
          const y = await s.y.get();
          const z = await s.z.get();
          const formula = expected === 'wrong' ? x - y - z : x + y - z;
          assert(balance === formula, `balance ${balance}, expected ${formula}`);
        }
        await s.m.unlock();
      },
      async function deposit(s) {
        await s.m.lock();
        const balance = await s.balance.get();
        await s.balance.set(balance + (await s.y.get()));
        await s.depositDone.set(true);
        await s.m.unlock();
      },
      async function withdraw(s) {
        await s.m.lock();
        const balance = await s.balance.get();
        await s.balance.set(balance - (await s.z.get()));
        await s.withdrawDone.set(true);
        await s.m.unlock();
      },
    ],
  });
}

export const accountProgram: SctProgram = {
  name: 'account',
  original: 'account_bad.c',
  threads: 3,
  bound: 0,
  bug: 'assertion',
  spec: (options) => account(options, 'wrong'),
  fixed: (options) => account(options, 'right'),
};
