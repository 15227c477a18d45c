/**
 * Vitest global setup: one PostgreSQL server for the whole run (see postgres.ts), handed to
 * the tests with `inject('pgUrl')`. At the end it checks that no connection of this run is
 * left open and that the embedded server left nothing behind; either fails the run (Vitest
 * only prints an error thrown here, so the exit code is set too).
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgSource: string;
    pgRunTag: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('pgUrl', server.url);
  project.provide('pgSource', server.source);
  project.provide('pgRunTag', server.runTag);
  return async () => {
    try {
      await server.stop();
    } catch (error) {
      process.exitCode = 1;
      console.error(`\n${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
