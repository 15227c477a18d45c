/**
 * The arguments of `runInWorkers` that the generic run options do not cover: the module,
 * the task names, the threads' Node options, and `data`, which must survive the copy into
 * each thread. Every failure is a `TypeError` raised before any thread starts.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeValue } from '../../internal/describe.ts';

export function validateModuleUrl(moduleUrl: unknown): string {
  if (moduleUrl instanceof URL) return moduleUrl.href;
  if (typeof moduleUrl === 'string') {
    if (/^(file|data|node):/.test(moduleUrl)) return moduleUrl;
    if (isAbsolute(moduleUrl)) return pathToFileURL(moduleUrl).href;
  }
  throw new TypeError(
    `Expected \`moduleUrl\` of runInWorkers() to be a URL or an absolute path of the module whose exports are the tasks, got ${describeValue(moduleUrl)}. Relative paths are ambiguous in a worker: write new URL('./tasks.mjs', import.meta.url).`,
  );
}

export function validateTasks(tasks: unknown): string[] {
  if (!Array.isArray(tasks) || tasks.length === 0) {
    throw new TypeError(
      `Expected \`options.tasks\` of runInWorkers() to be a non-empty array of export names, one per thread, got ${describeValue(tasks)}. Write e.g. { tasks: ['reader', 'writer'] }.`,
    );
  }
  tasks.forEach((name: unknown, index) => {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(
        `Expected \`options.tasks[${index}]\` of runInWorkers() to be the name of an exported function, got ${describeValue(name)}.`,
      );
    }
  });
  return tasks as string[];
}

export function validateExecArgv(execArgv: unknown): readonly string[] | undefined {
  if (execArgv === undefined) return undefined;
  if (Array.isArray(execArgv) && execArgv.every((arg) => typeof arg === 'string')) return execArgv;
  throw new TypeError(
    `Expected \`options.execArgv\` of runInWorkers() to be an array of strings (Node options for the threads), got ${describeValue(execArgv)}.`,
  );
}

/**
 * Checks that `data` can be structured-cloned, as each thread gets a copy of it (checked by
 * cloning it once here, so that no thread starts with data that the next one cannot get).
 * On failure, names the innermost value that cannot be copied, by its path.
 */
export function validateData(data: unknown): void {
  if (cloneable(data)) return;
  const { path, value } = culprit(data, 'options.data', new Set());
  throw new TypeError(
    `Expected \`options.data\` of runInWorkers() to be a value that can be structured-cloned (each worker thread gets a copy), but \`${path}\` is ${describeValue(value)}, which cannot be cloned. Pass plain data (objects, arrays, strings, numbers, Maps, typed arrays, and SharedArrayBuffers, which the threads share); create functions and objects with methods in the task module, from that data.`,
  );
}

/** Whether `value` can be structured-cloned. */
function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'DataCloneError') return false;
    throw error; // e.g. a getter that throws: its own error says more than ours would
  }
}

/** The innermost value under `value` (at `path`) that cannot be cloned. */
function culprit(
  value: unknown,
  path: string,
  seen: Set<object>,
): { path: string; value: unknown } {
  if (typeof value !== 'object' || value === null || seen.has(value)) return { path, value };
  seen.add(value);
  for (const [childPath, child] of children(value, path)) {
    if (!cloneable(child)) return culprit(child, childPath, seen);
  }
  return { path, value };
}

function children(value: object, path: string): [string, unknown][] {
  if (Array.isArray(value))
    return value.map((item, i): [string, unknown] => [`${path}[${i}]`, item]);
  if (value instanceof Map) {
    return [...value].map(([key, item]): [string, unknown] => [
      `${path}.get(${typeof key === 'string' ? JSON.stringify(key) : String(key)})`,
      item,
    ]);
  }
  if (value instanceof Set)
    return [...value].map((item): [string, unknown] => [`${path} (a value in the Set)`, item]);
  return Object.entries(value).map(([key, item]): [string, unknown] => [
    /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`,
    item,
  ]);
}
