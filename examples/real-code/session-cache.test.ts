// Controlled time: a session cached for 30 s may expire between a check and its use. The
// expiry timer is the scheduler's to fire, so explore finds the schedule in milliseconds.
import { expect, it } from 'vitest';
import { checkpoint, explore } from 'interleave';

// #region cache
/** Sessions that expire `ttl` ms after they are stored. */
class SessionCache {
  readonly #sessions = new Map<string, { user: string }>();

  store(id: string, user: string, ttl: number): void {
    this.#sessions.set(id, { user });
    setTimeout(() => this.#sessions.delete(id), ttl);
  }

  has(id: string): boolean {
    return this.#sessions.has(id);
  }

  user(id: string): string {
    const session = this.#sessions.get(id);
    if (session === undefined) throw new Error(`session ${id} is gone`);
    return session.user;
  }
}
// #endregion

it('finds the expiry between has() and user(), with no real waiting', async () => {
  // #region explore
  let cache = new SessionCache();
  const run = explore({
    setup: () => {
      cache = new SessionCache();
    },
    tasks: [
      async function login() {
        cache.store('s1', 'ada', 30_000);
        await checkpoint('load profile'); // e.g. a database query
        return `hello ${cache.user('s1')}`;
      },
      async function visit() {
        await checkpoint('request');
        return cache.has('s1') ? cache.user('s1') : 'anonymous';
      },
    ],
  });
  await expect(run).rejects.toThrowErrorMatchingInlineSnapshot(`
    [RaceError: explore found a schedule in which task 0 (login) threw (schedule 8 of portfolio, seed 0; 3 steps, 1 preemption, shrunk in 15 replays).

     step │ task 0 (login)                               │ task 1 (visit) │ timers
     ─────┼──────────────────────────────────────────────┼────────────────┼──────────────────────────────
        1 │ start                                        │                │
      » 2 │                                              │                │ setTimeout 30000 ms of task 0
        3 │ load profile ✗ threw Error: session s1 is g… │                │

    cause: Error: session s1 is gone

    replay: explore({ ...spec, replay: 'il2.2.46b44c4f.0x1-2x1-0x1.t0' }) or INTERLEAVE_REPLAY=il2.2.46b44c4f.0x1-2x1-0x1.t0]
  `);
  // #endregion
});
