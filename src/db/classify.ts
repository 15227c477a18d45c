/**
 * What kind of transient database failure an error is. Retrying the transaction is the
 * usual answer to a deadlock or a serialization failure; a lock timeout means another
 * transaction held a lock too long (or `NOWAIT` refused to wait).
 *
 * @example
 * ```ts
 * import { classifyDbError, type DbErrorKind } from 'interleave/db';
 *
 * const kind: DbErrorKind | undefined = classifyDbError(new Error('not a db error'));
 * console.log(kind); // undefined
 * ```
 */
export type DbErrorKind = 'deadlock' | 'serialization' | 'lock-timeout';

/** Fields under which drivers, ORMs and query builders keep the error they wrap. */
const WRAPPER_FIELDS = ['cause', 'driverError', 'original', 'parent', 'originalError', 'meta'];
const MAX_DEPTH = 8;
/**
 * At most this many objects are looked at: a Proxy that answers every wrapper field with a
 * fresh Proxy would otherwise fan out to 6^8 objects within `MAX_DEPTH`.
 */
const MAX_VISITED = 64;

/**
 * The code tables are Maps, not object literals: a code is data from the driver (or from
 * anything the test threw), and `{ code: 'constructor' }` must not find `Object.prototype`'s.
 */

/** PostgreSQL SQLSTATEs (pg, postgres.js, and anything that copies `code`). */
const SQLSTATE = new Map<string, DbErrorKind>([
  ['40P01', 'deadlock'], // deadlock_detected
  ['40001', 'serialization'], // serialization_failure
  ['55P03', 'lock-timeout'], // lock_not_available: NOWAIT, lock_timeout
]);

/** MySQL / MariaDB error numbers (mysql2 and mariadb: `errno`). */
const MYSQL_ERRNO = new Map<number, DbErrorKind>([
  [1213, 'deadlock'], // ER_LOCK_DEADLOCK (its SQLSTATE is 40001, yet it is a deadlock)
  [1205, 'lock-timeout'], // ER_LOCK_WAIT_TIMEOUT (MariaDB NOWAIT / WAIT n too)
  [3572, 'lock-timeout'], // ER_LOCK_NOWAIT (MySQL 8 NOWAIT)
  [1020, 'serialization'], // ER_CHECKREAD: record changed since last read (MariaDB snapshot isolation)
]);

/** Symbolic codes of mysql2/mariadb, SQLite drivers and Prisma. */
const NAMED_CODE = new Map<string, DbErrorKind>([
  ['ER_LOCK_DEADLOCK', 'deadlock'],
  ['ER_LOCK_WAIT_TIMEOUT', 'lock-timeout'],
  ['ER_LOCK_NOWAIT', 'lock-timeout'],
  ['ER_CHECKREAD', 'serialization'],
  ['SQLITE_BUSY_SNAPSHOT', 'serialization'],
  ['P2034', 'serialization'], // Prisma: "write conflict or deadlock, please retry"
]);

/** node:sqlite primary result codes (`errcode`): BUSY and LOCKED; BUSY_SNAPSHOT = 517. */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_BUSY_SNAPSHOT = 517;

/**
 * Classifies a database error as a deadlock, a serialization failure or a lock timeout, by
 * its codes only (never by message text), for pg and postgres.js (SQLSTATE 40P01, 40001,
 * 55P03), mysql2 and mariadb (errno 1213, 1205, 3572, 1020; SQLSTATE 40001), better-sqlite3
 * and node:sqlite (SQLITE_BUSY*, SQLITE_LOCKED*), also when wrapped by an ORM or query
 * builder (`cause`, TypeORM `driverError`, Sequelize `parent`/`original`, `originalError`,
 * Prisma `meta` and P2034). Returns undefined for anything else; never throws.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { classifyDbError } from 'interleave/db';
 *
 * const client = new pg.Client();
 * try {
 *   await client.query('UPDATE accounts SET balance = balance - 10 WHERE id = 1');
 * } catch (error) {
 *   if (classifyDbError(error) === 'deadlock') console.log('chosen as the deadlock victim');
 *   else throw error;
 * }
 * ```
 */
export function classifyDbError(error: unknown): DbErrorKind | undefined {
  const seen = new Set<object>();
  let layer: unknown[] = [error];
  for (let depth = 0; depth < MAX_DEPTH && layer.length > 0; depth++) {
    const next: unknown[] = [];
    for (const candidate of layer) {
      if (!isObject(candidate) || seen.has(candidate)) continue;
      if (seen.size >= MAX_VISITED) return undefined;
      seen.add(candidate);
      const kind = classifyOne(candidate);
      if (kind !== undefined) return kind;
      for (const field of WRAPPER_FIELDS) {
        const inner = read(candidate, field);
        if (inner !== undefined) next.push(inner);
      }
    }
    layer = next;
  }
  return undefined;
}

/** Classifies one error object by its own fields. */
function classifyOne(error: object): DbErrorKind | undefined {
  const code = read(error, 'code');
  const errno = read(error, 'errno');
  const sqlState = read(error, 'sqlState');
  const byErrno = typeof errno === 'number' ? MYSQL_ERRNO.get(errno) : undefined;
  if (byErrno !== undefined) return byErrno;
  if (typeof code === 'string') {
    const named = NAMED_CODE.get(code) ?? SQLSTATE.get(code);
    if (named !== undefined) return named;
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'lock-timeout';
    if (code === 'ERR_SQLITE_ERROR') return classifySqliteErrcode(read(error, 'errcode'));
  }
  return typeof sqlState === 'string' ? SQLSTATE.get(sqlState) : undefined;
}

function classifySqliteErrcode(errcode: unknown): DbErrorKind | undefined {
  if (typeof errcode !== 'number') return undefined;
  if (errcode === SQLITE_BUSY_SNAPSHOT) return 'serialization';
  const primary = errcode & 0xff;
  return primary === SQLITE_BUSY || primary === SQLITE_LOCKED ? 'lock-timeout' : undefined;
}

function isObject(value: unknown): value is object {
  return value !== null && (typeof value === 'object' || typeof value === 'function');
}

/** Reads a field without letting a throwing getter or Proxy escape. */
function read(target: object, field: string): unknown {
  try {
    return (target as Record<string, unknown>)[field];
  } catch {
    return undefined;
  }
}

/**
 * True when the database chose this transaction as a deadlock victim (PostgreSQL 40P01,
 * MySQL/MariaDB 1213), also when wrapped. Never throws.
 *
 * @example
 * ```ts
 * import { isDeadlock } from 'interleave/db';
 *
 * const errors: unknown[] = [];
 * // ... two transactions lock two tables in opposite order, one fails into `errors` ...
 * console.log(errors.filter(isDeadlock).length); // 1
 * ```
 */
export function isDeadlock(error: unknown): boolean {
  return classifyDbError(error) === 'deadlock';
}

/**
 * True for a serialization failure (PostgreSQL 40001 under REPEATABLE READ or SERIALIZABLE,
 * SQLITE_BUSY_SNAPSHOT, MariaDB ER_CHECKREAD, Prisma P2034). Never throws.
 *
 * @example
 * ```ts
 * import { isSerializationFailure } from 'interleave/db';
 *
 * console.log(isSerializationFailure({ code: '40001' })); // true
 * ```
 */
export function isSerializationFailure(error: unknown): boolean {
  return classifyDbError(error) === 'serialization';
}

/**
 * True when a lock could not be had in time: PostgreSQL 55P03 (`NOWAIT`, `lock_timeout`),
 * MySQL/MariaDB 1205 and 3572 (`innodb_lock_wait_timeout`, `NOWAIT`), SQLITE_BUSY and
 * SQLITE_LOCKED. Never throws.
 *
 * @example
 * ```ts
 * import { isLockTimeout } from 'interleave/db';
 *
 * console.log(isLockTimeout({ code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 })); // true
 * ```
 */
export function isLockTimeout(error: unknown): boolean {
  return classifyDbError(error) === 'lock-timeout';
}

/**
 * True when running the whole transaction again is the right answer: a deadlock or a
 * serialization failure. Never throws.
 *
 * @example
 * ```ts
 * import { isRetryable } from 'interleave/db';
 *
 * async function withRetry<T>(transaction: () => Promise<T>, attempts = 5): Promise<T> {
 *   for (let attempt = 1; ; attempt++) {
 *     try {
 *       return await transaction();
 *     } catch (error) {
 *       if (!isRetryable(error) || attempt >= attempts) throw error;
 *     }
 *   }
 * }
 * ```
 */
export function isRetryable(error: unknown): boolean {
  const kind = classifyDbError(error);
  return kind === 'deadlock' || kind === 'serialization';
}
