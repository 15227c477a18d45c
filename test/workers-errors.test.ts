import { afterEach, describe, expect, it, vi } from 'vitest';
import { InterleaveError, runInWorkers } from 'interleave';
import { explainLoadFailure } from '../src/parallel/workers/load-errors.ts';
import { stripsTypes } from '../src/parallel/workers/typescript-loader.ts';
import { resetThreads, threads } from './support/threads.ts';

// Every Worker that runInWorkers creates is counted, and so is its 'exit' event: when a run
// has settled, every thread it started must have exited.
vi.mock('node:worker_threads', async (importOriginal) =>
  (await import('./support/threads.ts')).countedWorkerThreads(importOriginal),
);

afterEach(resetThreads);

const fixtures = new URL('./fixtures/', import.meta.url);
const tasksUrl = new URL('worker-tasks.mjs', fixtures);

/** The run's rejection, with the fixtures' URL shortened for snapshots. */
async function rejection(run: Promise<unknown>): Promise<InterleaveError> {
  const error = await run.then(
    () => expect.fail('expected the run to fail'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(Error);
  const failed = error as InterleaveError;
  failed.message = failed.message.replaceAll(fixtures.href, '<fixtures>/');
  return failed;
}

describe('runInWorkers: a module that cannot be loaded', () => {
  it('a module that throws at load is ERR_TASK_MODULE_LOAD, with its error as cause', async () => {
    const error = await rejection(
      runInWorkers(new URL('worker-throws-at-load.mjs', fixtures), { tasks: ['task', 'task'] }),
    );

    expect(error).toBeInstanceOf(InterleaveError);
    expect(error.code).toBe('ERR_TASK_MODULE_LOAD');
    expect(error.message).toMatch(/^runInWorkers\(\) could not load the task module/);
    expect(error.message.replace(/task \d \(`task`\)/, 'task N (`task`)')).toMatchInlineSnapshot(
      `"runInWorkers() could not load the task module <fixtures>/worker-throws-at-load.mjs in the worker thread of task N (\`task\`): RangeError: the task module broke while loading. The module's error is this error's \`cause\`, with its stack."`,
    );
    const cause = error.cause as Error;
    expect(cause).toBeInstanceOf(RangeError);
    expect(cause.stack).toContain('worker-throws-at-load.mjs');
    expect(threads).toEqual({ started: 2, exited: 2 });
  });

  it('a missing module names the URL it was given, not the worker entry', async () => {
    const error = await rejection(
      runInWorkers(new URL('no-such-module.mjs', fixtures), { tasks: ['task'] }),
    );

    expect(error.code).toBe('ERR_TASK_MODULE_LOAD');
    expect(error.message).toMatchInlineSnapshot(
      `"runInWorkers() found no task module at <fixtures>/no-such-module.mjs. Check the path: new URL('./tasks.mjs', import.meta.url) is resolved against the file that calls runInWorkers(), not against the working directory."`,
    );
    expect(error.message).not.toContain('worker-entry');
    expect(error.cause).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
    expect(threads).toEqual({ started: 1, exited: 1 });
  });

  it('a module whose import is missing is a load failure that names both', async () => {
    const error = await rejection(
      runInWorkers(new URL('worker-imports-missing.mjs', fixtures), { tasks: ['task'] }),
    );

    expect(error.code).toBe('ERR_TASK_MODULE_LOAD');
    expect(
      error.message.replaceAll(new URL(fixtures).pathname, '<fixtures>/'),
    ).toMatchInlineSnapshot(
      `"runInWorkers() could not load the task module <fixtures>/worker-imports-missing.mjs in the worker thread of task 0 (\`task\`): Error [ERR_MODULE_NOT_FOUND]: Cannot find module '<fixtures>/no-such-dependency.mjs' imported from <fixtures>/worker-imports-missing.mjs. The module's error is this error's \`cause\`, with its stack."`,
    );
    expect(threads).toEqual({ started: 1, exited: 1 });
  });

  it('a module whose top-level await never settles is said to be that', async () => {
    const error = await rejection(
      runInWorkers(new URL('worker-unsettled-await.mjs', fixtures), { tasks: ['task'] }),
    );

    expect(error.code).toBe('ERR_TASK_MODULE_LOAD');
    expect(error.message).toMatchInlineSnapshot(
      `"runInWorkers() could not load the task module <fixtures>/worker-unsettled-await.mjs in the worker thread of task 0 (\`task\`): its top-level await never settled (the thread had nothing left to run while the module still waited). Make every top-level await of the module, and of the modules it imports, settle; or move the waiting into the task."`,
    );
    expect(threads).toEqual({ started: 1, exited: 1 });
  });

  it('a thread that cannot load ends the run, and the threads that could load end too', async () => {
    const unsettled = new URL('worker-unsettled-await.mjs', fixtures);
    const error = await rejection(runInWorkers(unsettled, { tasks: ['task', 'task', 'task'] }));

    expect(error.code).toBe('ERR_TASK_MODULE_LOAD');
    expect(threads).toEqual({ started: 3, exited: 3 });
  });

  it('an unknown export fails before any task runs, and leaves no thread', async () => {
    const error = await rejection(runInWorkers(tasksUrl, { tasks: ['phases', 'phasez'] }));

    expect(error.code).toBe('ERR_UNKNOWN_EXPORT');
    expect(threads).toEqual({ started: 2, exited: 2 });
  });
});

describe('runInWorkers: data that cannot be copied into a thread', () => {
  const call = (data: unknown) => runInWorkers(tasksUrl, { tasks: ['echoData'], data });

  it('a function is a TypeError naming options.data, before any thread starts', async () => {
    await expect(call(() => 1)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.data\` of runInWorkers() to be a value that can be structured-cloned (each worker thread gets a copy), but \`options.data\` is an anonymous function, which cannot be cloned. Pass plain data (objects, arrays, strings, numbers, Maps, typed arrays, and SharedArrayBuffers, which the threads share); create functions and objects with methods in the task module, from that data.]`,
    );
    expect(threads.started).toBe(0);
  });

  it('names the path of what could not be copied, deep inside', async () => {
    class Repository {
      readonly table = 'orders';
      save = (row: unknown) => row;
    }
    const data = { rows: [1, 2], services: { repository: new Repository() } };

    await expect(call(data)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.data\` of runInWorkers() to be a value that can be structured-cloned (each worker thread gets a copy), but \`options.data.services.repository.save\` is a function (save), which cannot be cloned. Pass plain data (objects, arrays, strings, numbers, Maps, typed arrays, and SharedArrayBuffers, which the threads share); create functions and objects with methods in the task module, from that data.]`,
    );
    expect(threads.started).toBe(0);
  });

  it('follows arrays and Maps, and quotes keys that are not names', async () => {
    await expect(call({ list: [0, { 'on-read': Symbol('hook') }] })).rejects.toThrow(
      'but `options.data.list[1]["on-read"]` is a symbol (Symbol(hook))',
    );
    await expect(call({ byName: new Map([['save', () => 1]]) })).rejects.toThrow(
      'but `options.data.byName.get("save")` is an anonymous function',
    );
    expect(threads.started).toBe(0);
  });

  it('a SharedArrayBuffer, typed arrays and a class instance without functions are fine', async () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const data = { shared: new Int32Array(new SharedArrayBuffer(4)), point: new Point(1, 2) };

    const [echoed] = await call(data);

    expect(echoed).toEqual({ shared: data.shared, point: { x: 1, y: 2 } });
    expect(threads).toEqual({ started: 1, exited: 1 });
  });
});

describe('runInWorkers: a TypeScript module the threads cannot load', () => {
  const site = { moduleUrl: 'file:///app/tasks.ts', index: 0, name: 'increment' };

  it('without type stripping and without tsx: says to install tsx', () => {
    const unknownExtension = Object.assign(
      new TypeError('Unknown file extension ".ts" for /app/tasks.ts'),
      { code: 'ERR_UNKNOWN_FILE_EXTENSION' },
    );

    const explained = explainLoadFailure(unknownExtension, site);

    expect(explained.code).toBe('ERR_TASK_MODULE_LOAD');
    expect(explained.cause).toBe(unknownExtension);
    expect(explained.message.replace(process.version, '<version>')).toMatchInlineSnapshot(
      `"The worker threads of runInWorkers() cannot load the TypeScript module file:///app/tasks.ts: Node <version> does not strip types, and no tsx was found to load it (looked up from the module's folder and the working directory). Install tsx (npm install --save-dev tsx): interleave registers it in its threads. Or run on Node >= 22.18, which strips types, or give a .js or .mjs module."`,
    );
  });

  it('syntax that type stripping cannot erase: says how to load tsx in the threads', () => {
    const unsupported = Object.assign(
      new SyntaxError('TypeScript enum is not supported in strip-only mode'),
      { code: 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' },
    );

    expect(explainLoadFailure(unsupported, site).message).toMatchInlineSnapshot(
      `"runInWorkers() could not load the task module file:///app/tasks.ts in the worker thread of task 0 (\`increment\`): SyntaxError [ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX]: TypeScript enum is not supported in strip-only mode. Node's type stripping leaves only erasable syntax (no enum, namespace or parameter properties): write the module that way, or load tsx in the threads with \`execArgv: ['--import', 'tsx']\`. The module's error is this error's \`cause\`, with its stack."`,
    );
  });

  it.runIf(stripsTypes())(
    'an extensionless import under type stripping: says to add the extension',
    () => {
      const notFound = Object.assign(
        new Error("Cannot find module '/app/db' imported from /app/tasks.ts"),
        { code: 'ERR_MODULE_NOT_FOUND', url: 'file:///app/db' },
      );

      expect(explainLoadFailure(notFound, site).message).toContain(
        "Under Node's type stripping, relative imports need their extension ('./db.ts'): add it, or load tsx in the threads with `execArgv: ['--import', 'tsx']`.",
      );
    },
  );
});
