import { describe, expect, it } from 'vitest';
import {
  classifyDbError,
  isDeadlock,
  isLockTimeout,
  isRetryable,
  isSerializationFailure,
} from 'interleave/db';

/** An Error with a driver's extra fields, as the driver would throw it. */
function driverError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

const pgDeadlock = driverError('deadlock detected', {
  name: 'error', // pg's DatabaseError keeps the name 'error'
  code: '40P01',
  severity: 'ERROR',
  detail: 'Process 1 waits for ShareLock on transaction 2; blocked by process 3.',
});
const mysqlDeadlock = driverError('Deadlock found when trying to get lock', {
  code: 'ER_LOCK_DEADLOCK',
  errno: 1213,
  sqlState: '40001',
  sqlMessage: 'Deadlock found when trying to get lock; try restarting transaction',
});

describe('driver error shapes', () => {
  it.each([
    ['pg deadlock (40P01)', pgDeadlock, 'deadlock'],
    [
      'pg serialization failure (40001)',
      driverError('could not serialize', { code: '40001' }),
      'serialization',
    ],
    [
      'pg NOWAIT / lock_timeout (55P03)',
      driverError('could not obtain lock', { code: '55P03' }),
      'lock-timeout',
    ],
    [
      'postgres.js PostgresError',
      driverError('deadlock detected', { name: 'PostgresError', code: '40P01' }),
      'deadlock',
    ],
    ['mysql2 deadlock (1213, SQLSTATE 40001)', mysqlDeadlock, 'deadlock'],
    [
      'mysql2 lock wait timeout (1205)',
      driverError('Lock wait timeout exceeded', {
        code: 'ER_LOCK_WAIT_TIMEOUT',
        errno: 1205,
        sqlState: 'HY000',
      }),
      'lock-timeout',
    ],
    [
      'MySQL 8 NOWAIT (3572)',
      driverError('NOWAIT is set', { code: 'ER_LOCK_NOWAIT', errno: 3572 }),
      'lock-timeout',
    ],
    [
      'mariadb connector deadlock (errno only)',
      { errno: 1213, sqlState: '40001', fatal: false },
      'deadlock',
    ],
    ['mariadb record changed (1020)', { errno: 1020, sqlState: 'HY000' }, 'serialization'],
    ['a bare SQLSTATE 40001 from mysql2', { sqlState: '40001' }, 'serialization'],
    [
      'better-sqlite3 SQLITE_BUSY',
      driverError('database is locked', { name: 'SqliteError', code: 'SQLITE_BUSY' }),
      'lock-timeout',
    ],
    ['better-sqlite3 SQLITE_BUSY_TIMEOUT', { code: 'SQLITE_BUSY_TIMEOUT' }, 'lock-timeout'],
    [
      'better-sqlite3 SQLITE_LOCKED_SHAREDCACHE',
      { code: 'SQLITE_LOCKED_SHAREDCACHE' },
      'lock-timeout',
    ],
    ['better-sqlite3 SQLITE_BUSY_SNAPSHOT', { code: 'SQLITE_BUSY_SNAPSHOT' }, 'serialization'],
    [
      'node:sqlite busy (errcode 5)',
      { code: 'ERR_SQLITE_ERROR', errcode: 5, errstr: 'database is locked' },
      'lock-timeout',
    ],
    ['node:sqlite locked (errcode 6)', { code: 'ERR_SQLITE_ERROR', errcode: 6 }, 'lock-timeout'],
    [
      'node:sqlite locked shared cache (errcode 262)',
      { code: 'ERR_SQLITE_ERROR', errcode: 262 },
      'lock-timeout',
    ],
    [
      'node:sqlite busy snapshot (errcode 517)',
      { code: 'ERR_SQLITE_ERROR', errcode: 517 },
      'serialization',
    ],
  ] as const)('%s', (_name, error, kind) => {
    expect(classifyDbError(error)).toBe(kind);
  });
});

describe('errors wrapped by ORMs and query builders', () => {
  it.each([
    [
      'a cause chain (Drizzle, knex wrappers)',
      new Error('Failed query', { cause: pgDeadlock }),
      'deadlock',
    ],
    [
      'TypeORM QueryFailedError.driverError',
      { name: 'QueryFailedError', driverError: pgDeadlock },
      'deadlock',
    ],
    [
      'Sequelize parent/original',
      { name: 'SequelizeDatabaseError', parent: mysqlDeadlock, original: mysqlDeadlock },
      'deadlock',
    ],
    ['originalError', { originalError: { code: '55P03' } }, 'lock-timeout'],
    [
      'Prisma P2034',
      { name: 'PrismaClientKnownRequestError', code: 'P2034', clientVersion: '6' },
      'serialization',
    ],
    [
      'Prisma raw query failure with meta.code',
      { code: 'P2010', meta: { code: '40P01', message: 'deadlock detected' } },
      'deadlock',
    ],
    [
      'three levels deep',
      new Error('service failed', {
        cause: new Error('repository failed', { cause: { driverError: mysqlDeadlock } }),
      }),
      'deadlock',
    ],
  ] as const)('%s', (_name, error, kind) => {
    expect(classifyDbError(error)).toBe(kind);
  });

  it('takes the outermost classified error', () => {
    const outer = { code: '55P03', cause: pgDeadlock };

    expect(classifyDbError(outer)).toBe('lock-timeout');
  });
});

describe('the predicates', () => {
  it('agree with classifyDbError', () => {
    const serialization = { code: '40001' };
    const lockTimeout = { errno: 1205 };

    expect([
      isDeadlock(pgDeadlock),
      isSerializationFailure(pgDeadlock),
      isLockTimeout(pgDeadlock),
    ]).toEqual([true, false, false]);
    expect([isDeadlock(serialization), isSerializationFailure(serialization)]).toEqual([
      false,
      true,
    ]);
    expect(isLockTimeout(lockTimeout)).toBe(true);
  });

  it('isRetryable: deadlocks and serialization failures, not lock timeouts', () => {
    expect(isRetryable(pgDeadlock)).toBe(true);
    expect(isRetryable(mysqlDeadlock)).toBe(true);
    expect(isRetryable({ code: '40001' })).toBe(true);
    expect(isRetryable({ code: 'P2034' })).toBe(true);
    expect(isRetryable({ code: '55P03' })).toBe(false);
    expect(isRetryable(new Error('boom'))).toBe(false);
  });
});

describe('what is not classified', () => {
  it.each([
    ['a message that only says deadlock', new Error('deadlock detected')],
    ['a network error', driverError('read ECONNRESET', { code: 'ECONNRESET', errno: -104 })],
    ['a unique violation (23505)', { code: '23505' }],
    ['a MySQL duplicate key (1062)', { errno: 1062, code: 'ER_DUP_ENTRY' }],
    ['an SQL Server deadlock number (not a supported driver field)', { number: 1205 }],
    ['node:sqlite constraint failure (errcode 19)', { code: 'ERR_SQLITE_ERROR', errcode: 19 }],
    ['a numeric code', { code: 40001 }],
  ])('%s', (_name, error) => {
    expect(classifyDbError(error)).toBeUndefined();
  });
});

describe('odd input never throws', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', '40P01'],
    ['a number', 1213],
    ['a symbol', Symbol('40P01')],
    ['an empty object', {}],
    ['an array', ['40P01']],
    ['a function', () => '40P01'],
  ])('%s', (_name, value) => {
    expect(classifyDbError(value)).toBeUndefined();
    expect(isRetryable(value)).toBe(false);
  });

  it('a cause chain that loops', () => {
    const a: { cause?: unknown } = {};
    const b = { cause: a };
    a.cause = b;
    const self: { cause?: unknown } = {};
    self.cause = self;

    expect(classifyDbError(a)).toBeUndefined();
    expect(classifyDbError(self)).toBeUndefined();
  });

  it('a loop with a classified error inside', () => {
    const a: { cause?: unknown; parent?: unknown } = { parent: pgDeadlock };
    a.cause = a;

    expect(classifyDbError(a)).toBe('deadlock');
  });

  it('getters and proxies that throw', () => {
    const throwing = Object.defineProperty({}, 'code', {
      get() {
        throw new Error('getter exploded');
      },
    });
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error('proxy exploded');
        },
      },
    );

    expect(classifyDbError(throwing)).toBeUndefined();
    expect(classifyDbError(proxy)).toBeUndefined();
    expect(classifyDbError({ cause: proxy, parent: { code: '40P01' } })).toBe('deadlock');
  });

  it('a very deep chain stops looking (8 levels) instead of running away', () => {
    let chain: unknown = pgDeadlock;
    for (let i = 0; i < 7; i++) chain = { cause: chain };
    let tooDeep: unknown = pgDeadlock;
    for (let i = 0; i < 8; i++) tooDeep = { cause: tooDeep };

    expect(classifyDbError(chain)).toBe('deadlock');
    expect(classifyDbError(tooDeep)).toBeUndefined();
  });
});

describe('codes named like Object.prototype members (issue #14, item 8)', () => {
  const inherited = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
  const realDeadlocks = [
    ['PostgreSQL 40P01', { code: '40P01' }],
    ['MySQL errno 1213', { errno: 1213 }],
    ['MariaDB ER_LOCK_DEADLOCK', { code: 'ER_LOCK_DEADLOCK' }],
  ] as const;

  it.each(inherited)('code %j alone is not classified', (code) => {
    expect(classifyDbError({ code })).toBeUndefined();
    expect(classifyDbError({ sqlState: code })).toBeUndefined();
    expect(classifyDbError({ code: 'ERR_SQLITE_ERROR', errcode: code })).toBeUndefined();
    expect(isRetryable({ code })).toBe(false);
  });

  it.each(inherited)('the walk goes on past code %j to the deadlock in its cause', (code) => {
    for (const [, deadlock] of realDeadlocks) {
      expect(classifyDbError({ code, sqlState: code, cause: deadlock })).toBe('deadlock');
      expect(classifyDbError(new Error('wrapped', { cause: { code, parent: deadlock } }))).toBe(
        'deadlock',
      );
    }
    expect(classifyDbError({ code, driverError: { code: 'SQLITE_BUSY_SNAPSHOT' } })).toBe(
      'serialization',
    );
  });

  it('an errno that is not a table entry', () => {
    expect(classifyDbError({ errno: Number.NaN, cause: { errno: 1205 } })).toBe('lock-timeout');
  });
});

describe('hostile chains end quickly (issue #14, item 8)', () => {
  it('a cycle through several wrapper fields, with an inherited-name code on each step', () => {
    const a: Record<string, unknown> = { code: 'constructor' };
    const b: Record<string, unknown> = { code: '__proto__', parent: a, originalError: a };
    a.cause = b;
    a.driverError = a;

    expect(classifyDbError(a)).toBeUndefined();
    b.meta = { code: '40P01' };
    expect(classifyDbError(a)).toBe('deadlock');
  });

  it('a revoked Proxy, and a Proxy whose every trap throws, in the chain', () => {
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const boom = (): never => {
      throw new Error('trap exploded');
    };
    const hostile = new Proxy(
      {},
      { get: boom, has: boom, ownKeys: boom, getPrototypeOf: boom, getOwnPropertyDescriptor: boom },
    );

    expect(classifyDbError(revoked)).toBeUndefined();
    expect(classifyDbError(hostile)).toBeUndefined();
    expect(classifyDbError({ cause: revoked, parent: { errno: 1213 } })).toBe('deadlock');
    expect(classifyDbError({ cause: hostile, driverError: { code: '40P01' } })).toBe('deadlock');
  });

  it('a Proxy that wraps a new Proxy in every field does not fan out for ever', () => {
    let made = 0;
    const fresh = (): object => {
      made++;
      return new Proxy({}, { get: (_target, key) => (key === 'code' ? 'XX000' : fresh()) });
    };

    expect(classifyDbError(fresh())).toBeUndefined();
    expect(made).toBeLessThan(1000);
  });
});
