/**
 * Real SQLite errors from node:sqlite (Node >= 22.13 without a flag): a second connection
 * that writes while the first holds the write lock gets SQLITE_BUSY, which isLockTimeout
 * recognises by its `errcode`. Skipped, saying so, where node:sqlite is missing (Node 20).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyDbError, isLockTimeout } from 'interleave/db';

interface Statementish {
  run(): unknown;
}
interface DatabaseSyncish {
  exec(sql: string): void;
  prepare(sql: string): Statementish;
  close(): void;
}
type DatabaseSyncConstructor = new (
  path: string,
  options?: { timeout?: number },
) => DatabaseSyncish;

function loadNodeSqlite(): DatabaseSyncConstructor | undefined {
  try {
    const sqlite = createRequire(import.meta.url)('node:sqlite') as {
      DatabaseSync: DatabaseSyncConstructor;
    };
    return sqlite.DatabaseSync;
  } catch {
    return undefined;
  }
}

const DatabaseSync = loadNodeSqlite();
if (DatabaseSync === undefined) {
  console.warn(
    `node:sqlite tests skipped: Node ${process.version} has no node:sqlite (it needs Node >= 22.13).`,
  );
}

describe.skipIf(DatabaseSync === undefined)('node:sqlite', () => {
  it('a write while another connection holds the write lock is SQLITE_BUSY: a lock timeout', () => {
    const Database = DatabaseSync as DatabaseSyncConstructor;
    const dir = mkdtempSync(join(tmpdir(), 'interleave-sqlite-'));
    const path = join(dir, 'counter.db');
    const holder = new Database(path);
    const other = new Database(path, { timeout: 0 });
    let busy: unknown;
    try {
      holder.exec('CREATE TABLE counter (n INTEGER); INSERT INTO counter VALUES (0)');
      holder.exec('BEGIN IMMEDIATE');
      try {
        other.prepare('UPDATE counter SET n = n + 1').run();
      } catch (error) {
        busy = error;
      }
      holder.exec('COMMIT');
    } finally {
      holder.close();
      other.close();
      rmSync(dir, { recursive: true, force: true });
    }

    expect(busy).toMatchObject({ code: 'ERR_SQLITE_ERROR', errcode: 5 });
    expect(isLockTimeout(busy)).toBe(true);
    expect(classifyDbError(busy)).toBe('lock-timeout');
  });
});
