/**
 * The arguments of `runInWorkers` that the generic run options do not cover: the module,
 * the task names, the threads' Node options, and `data`, which must survive the copy into
 * each thread. Every failure is an `ArgumentError` raised before any thread starts.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import { ArgumentError } from '../../argument-error.ts';
import { describeValue } from '../../internal/describe.ts';
import { invalid, nonEmptyList, parseOptions, string, type Rule } from '../../internal/options.ts';
import { RUN_OPTIONS, runOptionsShape } from '../validate.ts';
import { isProxy } from '../../internal/peek.ts';

export function validateModuleUrl(moduleUrl: unknown): string {
  // `instanceof` would run a Proxy's getPrototypeOf trap (or throw, for a revoked one).
  if (!isProxy(moduleUrl) && moduleUrl instanceof URL) return moduleUrl.href;
  if (typeof moduleUrl === 'string') {
    if (/^(file|data|node):/.test(moduleUrl)) return moduleUrl;
    if (isAbsolute(moduleUrl)) return pathToFileURL(moduleUrl).href;
  }
  return invalid(
    { api: 'runInWorkers', argument: 'moduleUrl' },
    'a URL or an absolute path of the module whose exports are the tasks',
    moduleUrl,
    "Relative paths are ambiguous in a worker: write new URL('./tasks.mjs', import.meta.url).",
  );
}

/**
 * The most threads one `runInWorkers` run may start. Each is a whole V8 instance (some
 * 10 MB of memory and tens of milliseconds to start, more to load a TypeScript module), and
 * threads beyond the machine's cores only take turns: 256 is far more than any race needs,
 * and refuses a list built by mistake before it starts thousands of threads.
 */
export const MAX_THREADS = 256;

const execArgv: Rule<readonly string[] | undefined> = (value, place) => {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((arg) => typeof arg === 'string')) return value;
  return invalid(place, 'an array of strings (Node options for the threads)', value);
};

/** The sizes a worker thread's `resourceLimits` may set (Node's `ResourceLimits`). */
const LIMITS = [
  'maxOldGenerationSizeMb',
  'maxYoungGenerationSizeMb',
  'codeRangeSizeMb',
  'stackSizeMb',
] as const;

const megabytes: Rule<number | undefined> = (value, place) => {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  return invalid(place, 'a positive, finite number of megabytes', value);
};

/** `resourceLimits`: an object of sizes in megabytes, only those Node knows. */
const resourceLimits: Rule<ResourceLimits | undefined> = (value, place) => {
  if (value === undefined) return undefined;
  const shape = {
    api: place.api,
    name: place.argument,
    position: 'an option',
    example: '{ maxOldGenerationSizeMb: 64 }',
    noun: 'option',
    optional: false,
  } as const;
  const schema = Object.fromEntries(LIMITS.map((key) => [key, megabytes]));
  const sizes = parseOptions(value, shape, schema);
  const limits: ResourceLimits = {};
  for (const key of LIMITS) {
    const size = sizes[key];
    if (size !== undefined) limits[key] = size;
  }
  return limits;
};

/** The options of `runInWorkers`, in the order they are checked and listed. */
const SCHEMA = {
  tasks: nonEmptyList(
    string('the name of an exported function', '', true),
    'a non-empty array of export names, one per thread',
    "Write e.g. { tasks: ['reader', 'writer'] }.",
    MAX_THREADS,
  ),
  data: validateData,
  timeout: RUN_OPTIONS.timeout,
  taskTimeout: RUN_OPTIONS.taskTimeout,
  settle: RUN_OPTIONS.settle,
  execArgv,
  resourceLimits,
};

/** The options of `runInWorkers`, checked, with their defaults. */
export type ValidWorkerOptions = ReturnType<typeof validateWorkerOptions>;

/** Checks the options of `runInWorkers` (which has no defaults for `tasks`). */
export function validateWorkerOptions(options: unknown) {
  const shape = {
    ...runOptionsShape('runInWorkers', false),
    example: "{ tasks: ['reader', 'writer'] }",
  };
  // Left out, the options lack `tasks`: that message says more than "expected an object".
  return parseOptions(options ?? {}, shape, SCHEMA);
}

/**
 * Checks that `data` can be structured-cloned, as each thread gets a copy of it (checked by
 * cloning it once here, so that no thread starts with data that the next one cannot get).
 * On failure, names the innermost value that cannot be copied, by its path.
 */
function validateData(data: unknown): unknown {
  if (cloneable(data)) return data;
  const { path, value } = culprit(data, 'options.data', new Set());
  const expected = 'a value that can be structured-cloned (each worker thread gets a copy)';
  const received = describeValue(value);
  const hint =
    'Pass plain data (objects, arrays, strings, numbers, Maps, typed arrays, and SharedArrayBuffers, which the threads share); create functions and objects with methods in the task module, from that data.';
  throw new ArgumentError(
    `Expected \`options.data\` of runInWorkers() to be ${expected}, but \`${path}\` is ${received}, which cannot be cloned. ${hint}`,
    { api: 'runInWorkers', argument: path, expected, received, hint },
  );
}

/**
 * Whether `value` can be structured-cloned. Whatever cloning throws means no: a
 * DataCloneError (a function, a class instance's methods), a TypeError (an Error whose `name`
 * is a Symbol), "Unable to deserialize cloned data" (an Error whose cause is itself), or a
 * getter of the user's that throws while it is copied.
 */
function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/** The innermost value under `value` (at `path`) that cannot be cloned. */
function culprit(
  value: unknown,
  path: string,
  seen: Set<object>,
): { path: string; value: unknown } {
  // A Proxy is not looked into (its traps are the user's; a revoked one throws).
  if (typeof value !== 'object' || value === null || seen.has(value) || isProxy(value)) {
    return { path, value };
  }
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
