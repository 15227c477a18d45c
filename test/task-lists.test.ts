/**
 * The task lists of runInParallel, runInWorkers and explore: an array with holes (`[f, , g]`)
 * is refused with the index of the hole (`map` and `forEach` skip holes, so each item's
 * check never saw them), and so is an array longer than the documented bound, before
 * anything walks its length (an array of length 2^32 - 1 is refused at once).
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, explore, runInParallel, runInWorkers } from 'interleave';
import { MAX_TASKS } from '../src/internal/options.ts';
import { MAX_THREADS } from '../src/parallel/workers/validate-options.ts';

const tasksUrl = new URL('./fixtures/worker-tasks.mjs', import.meta.url);
const task = () => 'ok';
const huge = () => new Array<unknown>(2 ** 32 - 1);
// Holes and huge arrays do not type-check: call as plain JavaScript would.
const parallel = runInParallel as (...args: unknown[]) => Promise<unknown[]>;
const workers = runInWorkers as (url: URL, options: unknown) => Promise<unknown[]>;
const exploreAny = explore as (spec: unknown) => Promise<unknown>;

/** What `act` threw or rejected with, checked to be an ArgumentError. */
async function refused(act: () => unknown): Promise<ArgumentError> {
  let error: unknown;
  try {
    await act();
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(ArgumentError);
  return error as ArgumentError;
}

describe('holes', () => {
  it('runInParallel: a hole is refused, naming its index', async () => {
    // eslint-disable-next-line no-sparse-arrays
    const error = await refused(() => parallel([task, , task]));

    expect(error.argument).toBe('tasks[1]');
    expect(error.message).toMatchInlineSnapshot(
      `"Expected \`tasks\` of runInParallel() to be an array of functions (runner) => ..., with no holes, got an array with a hole at index 1 (an empty slot, as in [a, , b])."`,
    );
  });

  it('runInParallel: an array of holes only', async () => {
    // eslint-disable-next-line no-sparse-arrays
    const error = await refused(() => parallel([, ,]));

    expect(error.argument).toBe('tasks[0]');
  });

  it('runInWorkers: a hole among the export names', async () => {
    // eslint-disable-next-line no-sparse-arrays
    const error = await refused(() => workers(tasksUrl, { tasks: ['finishEarly', , 'x'] }));

    expect(error.argument).toBe('options.tasks[1]');
    expect(error.message).toMatchInlineSnapshot(
      `"Expected \`options.tasks\` of runInWorkers() to be a non-empty array of export names, one per thread, with no holes, got an array with a hole at index 1 (an empty slot, as in [a, , b]). Write e.g. { tasks: ['reader', 'writer'] }."`,
    );
  });

  it('explore: a hole among the tasks', async () => {
    // eslint-disable-next-line no-sparse-arrays
    const error = await refused(() => exploreAny({ tasks: [async () => {}, , async () => {}] }));

    expect(error.argument).toBe('tasks[1]');
    expect(error.message).toMatchInlineSnapshot(
      `"Expected \`tasks\` of explore() to be a non-empty array of functions (ctx) => ..., with no holes, got an array with a hole at index 1 (an empty slot, as in [a, , b]). Pass the concurrent operations, e.g. tasks: [increment, increment]."`,
    );
  });

  it('explore: an array of holes only', async () => {
    // eslint-disable-next-line no-sparse-arrays
    const error = await refused(() => exploreAny({ tasks: [, ,] }));

    expect(error.argument).toBe('tasks[0]');
  });
});

describe('the bound on tasks', () => {
  it('runInParallel and explore take at most MAX_TASKS, runInWorkers at most MAX_THREADS', () => {
    expect([MAX_TASKS, MAX_THREADS]).toEqual([1024, 256]);
  });

  it('runInParallel: one more than the bound is refused, the bound itself runs', async () => {
    const error = await refused(() =>
      runInParallel(Array.from({ length: MAX_TASKS + 1 }, () => task)),
    );

    expect(error.message).toMatchInlineSnapshot(
      `"Expected \`tasks\` of runInParallel() to be an array of functions (runner) => ... (at most 1024), got an array of length 1025."`,
    );
    const results = await runInParallel(Array.from({ length: MAX_TASKS }, () => task));
    expect(results).toHaveLength(MAX_TASKS);
  });

  it('an array of length 2^32 - 1 is refused at once, by every API', async () => {
    const started = performance.now();

    const errors = [
      await refused(() => parallel(huge())),
      await refused(() => workers(tasksUrl, { tasks: huge() })),
      await refused(() => exploreAny({ tasks: huge() })),
    ];

    expect(performance.now() - started).toBeLessThan(1000);
    expect(errors.map((e) => e.message)).toMatchInlineSnapshot(`
      [
        "Expected \`tasks\` of runInParallel() to be an array of functions (runner) => ... (at most 1024), got an array of length 4294967295.",
        "Expected \`options.tasks\` of runInWorkers() to be a non-empty array of export names, one per thread (at most 256), got an array of length 4294967295. Write e.g. { tasks: ['reader', 'writer'] }.",
        "Expected \`tasks\` of explore() to be a non-empty array of functions (ctx) => ... (at most 1024), got an array of length 4294967295. Pass the concurrent operations, e.g. tasks: [increment, increment].",
      ]
    `);
  });

  it('runInWorkers: one thread more than the bound is refused before any thread starts', async () => {
    const names = Array.from({ length: MAX_THREADS + 1 }, () => 'finishEarly');

    const error = await refused(() => runInWorkers(tasksUrl, { tasks: names }));

    expect(error.argument).toBe('options.tasks');
  });
});
