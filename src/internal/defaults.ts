/**
 * How long interleave waits, by default, before it gives up and says why. Every default wait
 * is here, with its reason, so that they can be weighed against each other.
 *
 * The rule: a failing test must show OUR message (the barrier table, the RaceError's trace,
 * the database's deadlock error), never the test runner's "timed out". The shortest default
 * test timeout of the runners we support is Mocha's 2000 ms (Vitest and Jest: 5000 ms,
 * node:test: none), and it counts the whole test body. So with default options every failing
 * path of interleave ends within about 1200 ms, leaving the test some 800 ms for its own work
 * (connecting, creating tables) and the runner its reporting. docs/test-runners.md has the
 * times measured under each runner.
 *
 * Measured for the barrier: two tasks that each connect to PostgreSQL, begin, lock a row and
 * update it reach their barrier 1-3 ms apart (15 ms at most with the CPUs oversubscribed).
 */

/**
 * A barrier wait of `runInParallel` / `runInWorkers`, from the first arrival (`timeout`). It
 * times how far apart the tasks arrive, not their work: tasks doing the same queries arrive
 * within milliseconds, so 500 ms is some 30 times the worst spread measured under load. A run
 * can wait twice: after the barrier fails, the tasks still running get `timeout` again to
 * settle (a task that ignores `runner.signal` is then abandoned): 2 x 500 = 1000 ms.
 */
export const BARRIER_TIMEOUT = 500;

/**
 * How long each task of `runInParallel` / `runInWorkers` may run in all, from its start
 * (`taskTimeout`; for `runInWorkers` also how long a thread may stay blocked while it loads the
 * task module: a slow load that keeps its event loop turning is not bounded, as tsx compiling
 * TypeScript in many cold threads on a loaded machine takes seconds).
 * It catches what no barrier can: a task that never settles and never reaches a barrier (a
 * promise nobody resolves, `Atomics.wait` on a cell nobody notifies, an endless loop), and
 * names where it was. It must not cut short what the other waits report better: the barrier
 * path ends by 2 x BARRIER_TIMEOUT = 1000 ms, and a PostgreSQL deadlock between two tasks is
 * broken by the server's default `deadlock_timeout` of 1 s after the second lock wait (the
 * compatibility matrix measured 1049-1135 ms from the test's start, connecting included, and
 * 1681 ms at worst on a machine at a load average of 8 on its 2 cores). 1500 ms is past both, and
 * leaves 500 ms of Mocha's 2000 for the test's own work before the run: the one default path
 * above the 1200 ms of the others, because a shorter bound would hide the database's own
 * deadlock report behind ours.
 */
export const TASK_TIMEOUT = 1500;

/**
 * explore's `stepTimeout`: a step running longer counts as blocked, and the other tasks are
 * scheduled meanwhile (nothing fails). A query on a local database takes 1-10 ms, tens under
 * load. Fixed at 100 ms by the public API contract (the project's shared design document).
 */
export const STEP_TIMEOUT = 100;

/**
 * Every unfinished task blocked for this many step timeouts is a deadlock. With the default
 * step timeout: 500 ms during which nothing moved. Two tasks are declared deadlocked about
 * 700 ms after the first one blocked (two blocked steps, then the 500 ms).
 */
export const DEADLOCK_STEPS = 5;

/**
 * explore's `settleTimeout`: after a failed schedule, how long its tasks get to settle (roll
 * back, release locks) before they are abandoned and the schedule is reported. Released tasks
 * settle within milliseconds, or when the database breaks the deadlock they are in:
 * PostgreSQL's default `deadlock_timeout` of 1 s after the first lock wait, which is about 300 ms
 * after explore declared the deadlock (see DEADLOCK_STEPS). An in-memory deadlock never
 * settles: 700 ms to declare it + 500 ms = 1200 ms.
 */
export const SETTLE_TIMEOUT = 500;

/**
 * How much shrinking a failing schedule may cost before it is reported: at most 1000 replays,
 * and no replay is started unless it should end within 500 ms of the start of shrinking (each
 * replay is expected to take as long as the slowest schedule seen). In-memory replays take
 * well under a millisecond; a schedule that deadlocks takes longer than the whole budget, so
 * it is reported as found.
 */
export const SHRINK_BUDGET = { runs: 1000, ms: 500 } as const;

/**
 * Before a failing schedule is reported, its token is replayed once to confirm that it
 * reproduces, unless the schedule took longer than this: a schedule that deadlocks on a real
 * database takes about a second, and a second replay would push the report past Mocha's
 * 2000 ms. In-memory schedules take well under a millisecond.
 */
export const CONFIRM_BUDGET_MS = 500;

/**
 * How long a hook waits for its async body (e.g. a second request sent from an `after` hook)
 * before it fails. Such a body does real work, a whole request through the application, so it
 * gets more than a barrier; 1000 ms still leaves half of Mocha's timeout for the rest.
 */
export const HOOK_TIMEOUT = 1000;

/**
 * How long explore waits for what `setup`, `points`, `check` or `teardown` returned, each, per
 * schedule (`callbackTimeout`). These connect, seed and clean up: a few to tens of
 * milliseconds on a local database. A stuck one (a full pool, a lock a task still holds) is
 * reported after 1000 ms, like a hook's body, leaving the rest of Mocha's 2000 ms.
 */
export const CALLBACK_TIMEOUT = 1000;

/**
 * When every unfinished task waits and nothing explore can see could wake them (no timer,
 * socket, file request...), the schedule is declared a deadlock after this much more quiet
 * (0: one more turn of the event loop) rather than after 5 x `stepTimeout`. Work on Node's
 * thread pool (crypto, zlib, a native add-on) is invisible to that check; a wait long enough
 * to cover it (bcrypt takes 50-100 ms) would cost every deadlocked schedule, shrinking
 * replays included, as much (measured: 25 ms made an in-memory deadlock's report 190 ms
 * instead of 12), so the limit is documented instead.
 */
export const QUIET_DEADLOCK_MS = 0;
