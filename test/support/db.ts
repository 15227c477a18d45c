/**
 * Connections for database tests. Every connection is tagged so that the suite can check
 * at the end that none was left open.
 */
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import type pg from 'pg';
import { connectPg } from './postgres.ts';

export function pgUrl(): string {
  return inject('pgUrl');
}

/** A new connected client on the suite's PostgreSQL server (see connectPg); the caller ends it. */
export function pgClient(): Promise<pg.Client> {
  return connectPg(pgUrl());
}

/** The MariaDB/MySQL URL, or undefined (the tests that need it are skipped, saying why). */
const mysqlFromEnv = process.env.INTERLEAVE_MYSQL_URL;
export const mysqlUrl = mysqlFromEnv === '' ? undefined : mysqlFromEnv;

export const MYSQL_SKIP_REASON =
  'MariaDB/MySQL tests skipped: set INTERLEAVE_MYSQL_URL (e.g. mysql://root@127.0.0.1:3306/test) to run them.';

export async function mysqlConnection(): Promise<mysql.Connection> {
  if (mysqlUrl === undefined) throw new Error(MYSQL_SKIP_REASON);
  return mysql.createConnection(mysqlUrl);
}

/** A table name no other test (or test file running in parallel) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

const redisFromEnv = process.env.INTERLEAVE_REDIS_URL;
/** The Redis URL, or undefined (the tests that need it are skipped, saying why). */
export const redisUrl = redisFromEnv === '' ? undefined : redisFromEnv;

export const REDIS_SKIP_REASON =
  'Redis tests skipped: set INTERLEAVE_REDIS_URL (e.g. redis://127.0.0.1:6379) to run them.';

/** A new Redis client (connected on first command); the caller quits it. */
export function redisClient(): Redis {
  if (redisUrl === undefined) throw new Error(REDIS_SKIP_REASON);
  return new Redis(redisUrl, { maxRetriesPerRequest: 1, connectionName: 'interleave-tests' });
}
