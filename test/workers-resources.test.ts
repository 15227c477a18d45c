/**
 * runInWorkers and the process's resources: it runs under V8 flags that threads refuse when
 * given explicitly (so it leaves `execArgv` to Node), and `resourceLimits` bounds a thread's
 * memory, a thread that exceeds it being reported as such.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InterleaveError, runInWorkers } from 'interleave';
import { failure } from './support/failure.ts';
import { resetThreads, threads } from './support/threads.ts';

vi.mock('node:worker_threads', async (importOriginal) =>
  (await import('./support/threads.ts')).countedWorkerThreads(importOriginal),
);

afterEach(resetThreads);

const root = fileURLToPath(new URL('../', import.meta.url));
const memory = new URL('./fixtures/worker-memory.mjs', import.meta.url);
const call = runInWorkers as (url: URL, options: unknown) => Promise<unknown[]>;

describe('execArgv', () => {
  it('runs in a process started with --expose-gc --max-old-space-size (the build, as users get it)', () => {
    const run = spawnSync(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=4096', 'test/fixtures/workers-under-v8-flags.mjs'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000 },
    );

    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(
      JSON.stringify([0, 1].map((index) => ({ index, count: 2, seen: [0, 1] }))),
    );
    expect(run.status).toBe(0);
  });
});

describe('resourceLimits', () => {
  it('a thread that runs out of its memory is ERR_WORKER_CRASHED, naming the limit', async () => {
    const error = await failure(
      runInWorkers(memory, {
        tasks: ['small', 'allocate'],
        resourceLimits: { maxOldGenerationSizeMb: 32 },
      }),
    );

    expect(error.failures.map((f) => f.index)).toEqual([1]);
    const crashed = error.failures[0]?.error as InterleaveError;
    expect(crashed).toBeInstanceOf(InterleaveError);
    expect(crashed.code).toBe('ERR_WORKER_CRASHED');
    expect(crashed.cause).toMatchObject({ code: 'ERR_WORKER_OUT_OF_MEMORY' });
    expect(crashed.message).toMatchInlineSnapshot(
      `"The worker thread of task 1 (\`allocate\`) ran out of memory while running its task, and Node stopped it (Error [ERR_WORKER_OUT_OF_MEMORY]: Worker terminated due to reaching memory limit: JS heap out of memory). Its resourceLimits were { maxOldGenerationSizeMb: 32 }: raise them if the task needs more, or look for what it keeps allocating."`,
    );
    expect(threads).toEqual({ started: 2, exited: 2 });
  });

  it('within the limits, a run goes as usual', async () => {
    await expect(
      runInWorkers(memory, {
        tasks: ['small'],
        resourceLimits: { maxOldGenerationSizeMb: 64, stackSizeMb: 4 },
      }),
    ).resolves.toEqual(['fits']);
  });

  it('bad limits are ArgumentErrors, before any thread starts', async () => {
    const messages = [];
    for (const resourceLimits of [64, { maxOldSpaceSize: 64 }, { maxOldGenerationSizeMb: -1 }]) {
      const error = await call(memory, { tasks: ['small'], resourceLimits }).then(
        () => expect.fail('expected an ArgumentError'),
        (thrown: unknown) => thrown as Error,
      );
      messages.push(error.message);
    }

    expect(messages).toMatchInlineSnapshot(`
      [
        "Expected \`options.resourceLimits\` (an option of runInWorkers()) to be an object such as { maxOldGenerationSizeMb: 64 }, got a number (64).",
        "Unknown option \`maxOldSpaceSize\` in the options.resourceLimits of runInWorkers(): expected only \`maxOldGenerationSizeMb\`, \`maxYoungGenerationSizeMb\`, \`codeRangeSizeMb\`, \`stackSizeMb\`. Check the spelling.",
        "Expected \`options.resourceLimits.maxOldGenerationSizeMb\` of runInWorkers() to be a positive, finite number of megabytes, got a number (-1).",
      ]
    `);
    expect(threads.started).toBe(0);
  });
});
