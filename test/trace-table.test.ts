/**
 * The failure table of explore: a driver object among a call's arguments (a pg `Client`
 * passed first, as repositories do) is drawn as its class name, so the other arguments, the
 * values read and the ✓/✗ marks stay visible, and every cell stays within its column.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BarrierError,
  explore,
  ParallelError,
  runInParallel,
  yieldAt,
  type ExploreSpec,
  type TraceStep,
} from 'interleave';
import { pgClient, uniqueName } from './support/db.ts';
import { raceOf } from './support/explore.ts';
import fc from 'fast-check';
import { formatValue } from '../src/internal/format-value.ts';
import { formatTraceTable } from '../src/trace/table.ts';

/** The table of a RaceError's message, without the replay token. */
async function tableOf<C>(spec: ExploreSpec<C>): Promise<string> {
  const race = await raceOf(explore({ strategy: 'exhaustive', ...spec }));
  const table = race.message.split('\n\n')[1] ?? '';
  for (const line of table.split('\n')) expect(line.length).toBeLessThanOrEqual(120);
  return table;
}

describe('a pg Client passed first to the method of a yieldAt point', () => {
  const accounts = uniqueName('table_accounts');

  beforeAll(async () => {
    const client = await pgClient();
    try {
      await client.query(`CREATE TABLE ${accounts} (id int PRIMARY KEY, balance int NOT NULL)`);
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    const client = await pgClient();
    try {
      await client.query(`DROP TABLE IF EXISTS ${accounts}`);
    } finally {
      await client.end();
    }
  });

  const repo = {
    async getBalance(client: pg.Client, id: number): Promise<number> {
      const { rows } = await client.query<{ balance: number }>(
        `SELECT balance FROM ${accounts} WHERE id = $1`,
        [id],
      );
      return rows[0]?.balance ?? 0;
    },
    async setBalance(client: pg.Client, id: number, balance: number): Promise<void> {
      await client.query(`UPDATE ${accounts} SET balance = $2 WHERE id = $1`, [id, balance]);
    },
  };

  /** Withdraws 60 if the balance allows it; two of them overdraw 100 only when they race. */
  async function withdraw(client: pg.Client): Promise<boolean> {
    const balance = await repo.getBalance(client, 1);
    if (balance < 60) return false;
    await repo.setBalance(client, 1, balance - 60);
    return true;
  }

  it('draws the client as `Client {…}`, and shows the id, the balance read and ✓', async () => {
    const table = await tableOf({
      setup: async () => {
        const clients = [await pgClient(), await pgClient()] as const;
        await clients[0].query(`DELETE FROM ${accounts}`);
        await clients[0].query(`INSERT INTO ${accounts} VALUES (1, 100)`);
        return clients;
      },
      teardown: async (clients) => {
        await Promise.all(clients.map((client) => client.end()));
      },
      points: () => {
        yieldAt(repo, 'getBalance');
        yieldAt(repo, 'setBalance');
      },
      tasks: [([a]) => withdraw(a), ([, b]) => withdraw(b)],
      check: (_clients, succeeded) => {
        expect(succeeded.filter(Boolean)).toHaveLength(1);
      },
    });

    expect(table).toMatchInlineSnapshot(`
      " step │ task 0                                        │ task 1
       ─────┼───────────────────────────────────────────────┼──────────────────────────────────────────────
          1 │ start                                         │
          2 │ getBalance(Client {…}, 1) → 100               │
        » 3 │                                               │ start
          4 │                                               │ getBalance(Client {…}, 1) → 100
          5 │                                               │ setBalance(Client {…}, 1, 40) ✓ returned true
          6 │ setBalance(Client {…}, 1, 40) ✓ returned true │"
    `);
  }, 30_000);
});

/** A connection-like object: many fields, nested objects, a long string. */
class Session {
  readonly id = 'session-7f3a9c';
  readonly host = 'db.internal.example.com';
  readonly port = 5432;
  readonly options = { ssl: true, statementTimeout: 30_000, applicationName: 'billing' };
  readonly pool = { size: 10, idle: [1, 2, 3] };
  readonly log: string[] = [];
  readonly startedAt = new Date(0);
  readonly secret = 'x'.repeat(200);
  connected = true;
  queries = 0;
}

describe('a class instance with many fields passed first', () => {
  const orders = {
    status: 'pending',
    async find(_session: Session, id: number) {
      await Promise.resolve();
      return { id, status: this.status, total: 120, lines: [{ sku: 'A-1', quantity: 2 }] };
    },
    async markPaid(_session: Session, id: number, payment: { by: string; method: string }) {
      await Promise.resolve();
      if (this.status === 'paid') throw new Error(`order ${id} was paid twice by ${payment.by}`);
      this.status = 'paid';
    },
  };

  /** Reads the order, then pays it if it is pending: two payments race. */
  async function pay(session: Session, by: string): Promise<string> {
    const order = await orders.find(session, 7);
    if (order.status !== 'pending') return 'already paid';
    await orders.markPaid(session, 7, { by, method: 'card' });
    return `paid by ${by}`;
  }

  it('draws it as `Session {…}`: the id, the order read and ✓/✗ stay visible', async () => {
    const table = await tableOf({
      setup: () => {
        orders.status = 'pending';
        return new Session();
      },
      points: () => {
        yieldAt(orders, 'find');
        yieldAt(orders, 'markPaid');
      },
      tasks: [(session) => pay(session, 'alice'), (session) => pay(session, 'bob')],
    });

    expect(table).toMatchInlineSnapshot(`
      " step │ task 0                                                │ task 1
       ─────┼───────────────────────────────────────────────────────┼──────────────────────────────────────────────────────
          1 │ start                                                 │
          2 │ find(Session {…}, 7) → { id: 7, status: 'pendi…', … } │
        » 3 │                                                       │ start
          4 │                                                       │ find(Session {…}, 7) → { id: 7, status: 'pendi…', … }
          5 │                                                       │ markPaid(Session {…}, 7, {…}) ✓ returned 'paid by b…'
          6 │ markPaid(Session {…}, 7, …) ✗ threw Error: order 7 w… │"
    `);
  });
});

/** Values that have crashed formatters: each must come out as readable text. */
function oddValues(): Record<string, unknown> {
  const trap = () => {
    throw new Error('trap');
  };
  // `get` answers `then` only, so that the Proxy can pass through a promise.
  const get = (_target: object, key: PropertyKey) => (key === 'then' ? undefined : trap());
  const traps = { get, has: trap, ownKeys: trap, getPrototypeOf: trap };
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  class ThrowingConstructor {
    readonly id = 1;
  }
  Object.defineProperty(ThrowingConstructor.prototype, 'constructor', { get: trap });
  const cycle: Record<string, unknown> = { id: 1 };
  cycle.self = cycle;
  const bare = Object.create(null) as Record<string, unknown>;
  bare.id = 1;
  const badError = new Error('hidden');
  Object.defineProperty(badError, 'message', { get: trap });
  return {
    'a Proxy whose traps throw': new Proxy({ id: 1 }, traps),
    'a function Proxy whose traps throw': new Proxy(() => {}, { ...traps, apply: trap }),
    'a revoked Proxy': revocable.proxy,
    'a throwing getter': {
      id: 1,
      get name(): string {
        throw new Error('getter');
      },
    },
    'a throwing constructor getter': new ThrowingConstructor(),
    'a null-prototype object': bare,
    'a symbol': Symbol('checked'),
    'a bigint': 2n ** 64n,
    'a cycle': cycle,
    'a cycle in an array': [cycle],
    'an error whose message getter throws': badError,
    'a long string': 'x'.repeat(1000),
    'an array of 1000': Array.from({ length: 1000 }, (_, i) => i),
  };
}

describe('odd values', () => {
  it('each is drawn as readable text, within its width', () => {
    const drawn = Object.entries(oddValues()).map(
      ([name, value]) => `${name}: ${formatValue(value, 30)}`,
    );

    expect(drawn).toMatchInlineSnapshot(`
      [
        "a Proxy whose traps throw: { id: 1 }",
        "a function Proxy whose traps throw: [Function]",
        "a revoked Proxy: <Revoked Proxy>",
        "a throwing getter: { id: 1, name: [Getter] }",
        "a throwing constructor getter: { id: 1 }",
        "a null-prototype object: { id: 1 }",
        "a symbol: Symbol(checked)",
        "a bigint: 18446744073709551616n",
        "a cycle: { id: 1, self: [Circular] }",
        "a cycle in an array: [ { id: 1, … } ]",
        "an error whose message getter throws: Error",
        "a long string: 'xxxxxxxxxxxxxxxxxxxxxxxxxxx…'",
        "an array of 1000: [ 0, 1, 2, 3, 4, 5, 6, 7, … ]",
      ]
    `);
  });
});

describe('odd values in the tables of explore and of a barrier', () => {
  it('explore draws them as arguments, values read and what a task threw', async () => {
    // A promise resolved with a revoked Proxy rejects (reading its `then` throws): task 1
    // throws that one instead.
    const { 'a revoked Proxy': revoked, ...rest } = oddValues();
    const values = Object.values(rest);
    const api = {
      async echo(value: unknown) {
        await Promise.resolve();
        return value;
      },
    };

    let echoed = false;
    const table = await tableOf({
      setup: () => {
        echoed = false;
      },
      points: () => {
        yieldAt(api, 'echo');
      },
      tasks: [
        async function echoes() {
          for (const value of values) await api.echo(value);
          echoed = true;
        },
        async function throwsARevokedProxy() {
          await api.echo(1);
          // Only once the other task is done, so that the reported schedule holds every echo.
          if (echoed) throw revoked;
        },
      ],
    });

    expect(table).toMatchInlineSnapshot(`
      " step │ task 0 (echoes)                                       │ task 1 (throwsARevokedProxy)
       ─────┼───────────────────────────────────────────────────────┼────────────────────────────────────
          1 │ start                                                 │
          2 │ echo({ id: 1 }) → { id: 1 }                           │
          3 │ echo([Function]) → [Function]                         │
          4 │ echo({ id: 1, … }) → { id: 1, name: [Getter] }        │
          5 │ echo({ id: 1 }) → { id: 1 }                           │
          6 │ echo({ id: 1 }) → { id: 1 }                           │
          7 │ echo(Symbol(checked)) → Symbol(checked)               │
          8 │ echo(18446744073709551616n) → 18446744073709551616n   │
          9 │ echo({ id: 1, … }) → { id: 1, self: [Circular] }      │
         10 │ echo([ {…} ]) → [ { id: 1, self: [Circular] } ]       │
         11 │ echo(Error) → Error                                   │
         12 │ echo('xxxxxxxxxxxxx…') → 'xxxxxxxxxxxxxxxxxxxxxxxxx…' │
         13 │ echo([ 0, 1, … ]) → [ 0, 1, 2, 3, 4, 5, 6, … ] ✓ done │
         14 │                                                       │ start
         15 │                                                       │ echo(1) → 1 ✗ threw <Revoked Proxy>"
    `);
  });

  it("a barrier's status lines draw a task that threw one", async () => {
    const thrown = oddValues()['a Proxy whose traps throw'];
    const error = await runInParallel(
      async (runner) => {
        await runner.await('ready');
      },
      () => {
        throw thrown;
      },
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ParallelError);
    expect((error as ParallelError).message).toMatchInlineSnapshot(`
      "2 of 2 tasks failed:
        task 0: BarrierError [ERR_BARRIER_BROKEN]: Barrier 1 can never open: task 1 failed (thrown value { id: 1 }) while 1 task waited at it.
          Tasks:
            task 0: waiting at barrier 1 "ready"
            task 1: failed (passed 0 barriers): thrown value { id: 1 }
          Every task must call runner.await() the same number of times; a failing task breaks the barrier for the others, so fix that failure first.
        task 1 (failed first): thrown value { id: 1 }"
    `);
    const broken = (error as ParallelError).failures[0]?.error as BarrierError;
    expect(broken.message).toMatchInlineSnapshot(`
      "Barrier 1 can never open: task 1 failed (thrown value { id: 1 }) while 1 task waited at it.
      Tasks:
        task 0: waiting at barrier 1 "ready"
        task 1: failed (passed 0 barriers): thrown value { id: 1 }
      Every task must call runner.await() the same number of times; a failing task breaks the barrier for the others, so fix that failure first."
    `);
  });
});

describe('any value, anywhere in a step', () => {
  it('keeps every cell within its column, with its marks and the point drawn whole', () => {
    const step = fc.record({
      task: fc.integer({ min: 0, max: 1 }),
      args: fc.array(fc.anything({ withObjectString: true, withNullPrototype: true }), {
        maxLength: 4,
      }),
      result: fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true }),
      threw: fc.boolean(),
    });

    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 5 }), (steps) => {
        const trace: TraceStep[] = steps.map((s, i) => ({
          step: i + 1,
          task: s.task,
          label: 'getBalance',
          preempted: false,
          args: s.args,
          result: s.result,
          blocked: false,
          end: s.threw ? 'failed' : 'finished',
          ...(s.threw ? { thrown: s.result } : { returned: s.result }),
        }));
        const lines = formatTraceTable(trace, ['', '']).split('\n').slice(2);
        for (const [i, line] of lines.entries()) {
          expect(line.length).toBeLessThanOrEqual(120);
          const s = steps[i];
          expect(line).toContain('getBalance(');
          if (s?.threw) expect(line).toContain(' ✗ threw ');
          else if (s?.result !== undefined) expect(line).toContain(' ✓ returned ');
        }
      }),
    );
  });
});
