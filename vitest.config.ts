import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Examples and README snippets import the package by name, as users do.
    alias: [
      {
        find: /^interleave$/,
        replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      },
      {
        find: /^interleave\/db$/,
        replacement: fileURLToPath(new URL('./src/db/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Names each file's PostgreSQL connections and fails the file if one is left open.
    setupFiles: ['test/support/pg-leak-check.ts'],
    restoreMocks: true,
  },
});
