/**
 * Vitest global setup: one PostgreSQL server for the whole run (see postgres.ts), handed to
 * the tests with `inject('pgUrl')`.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgSource: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('pgUrl', server.url);
  project.provide('pgSource', server.source);
  return () => server.stop();
}
