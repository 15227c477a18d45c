/**
 * TypeScript task modules in the worker threads of `runInWorkers`, on a Node that cannot
 * strip types (20, and 22 before 22.18). Node runs a thread's `--import` flags in the
 * thread, but tsx registers its loader there only in the main thread on those versions (its
 * hooks are per thread there, and the main thread's do not reach the workers). So
 * `node --import tsx`, Vitest, or `execArgv: ['--import', 'tsx']` all leave the thread
 * without a loader. This module registers tsx in the thread itself, found from the task
 * module's folder (the user's project) or else the working directory.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** `Symbol.for` this key is set on a thread's globalThis once interleave registered tsx in it. */
export const TYPESCRIPT_LOADER_KEY = 'interleave.worker-typescript-loader';
const REGISTERED = Symbol.for(TYPESCRIPT_LOADER_KEY);

const TYPESCRIPT = /\.[cm]?tsx?$/;

/** Whether `moduleUrl` names a TypeScript module by its extension. */
export function isTypeScriptModule(moduleUrl: string): boolean {
  return TYPESCRIPT.test(new URL(moduleUrl).pathname);
}

/** Whether this thread's Node loads `.ts` files itself (type stripping, Node >= 22.18). */
export function stripsTypes(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript);
}

/**
 * Makes sure this thread can load the TypeScript module `moduleUrl`: on a Node that strips
 * types, nothing to do; otherwise registers tsx if it is installed, for ES modules and for
 * CommonJS (a `.ts` file in a package without `"type": "module"` is CommonJS to tsx), as
 * `--import tsx` does. Returns whether it registered tsx (false: not needed, done before,
 * or tsx is not installed).
 */
export async function prepareTypeScript(moduleUrl: string): Promise<boolean> {
  const registry = globalThis as { [REGISTERED]?: true };
  if (!isTypeScriptModule(moduleUrl) || stripsTypes() || registry[REGISTERED]) return false;
  const apis = resolveTsxApis(moduleUrl);
  if (apis === undefined) return false;
  for (const api of apis) {
    const tsx = (await import(api)) as { register: () => unknown };
    tsx.register();
  }
  registry[REGISTERED] = true;
  return true;
}

/**
 * The URLs of tsx's APIs for ES modules and CommonJS (`tsx/esm/api`, `tsx/cjs/api`, whose
 * `register()` hooks module loading in the calling thread), resolved like an import from the
 * task module, else from the working directory; undefined if tsx is not installed. (The
 * CommonJS build of the ESM API, which `require` would pick, cannot register its hooks, so
 * the ES module files are taken from the package's `exports`.)
 */
function resolveTsxApis(moduleUrl: string): string[] | undefined {
  const parents = [join(process.cwd(), 'package.json')];
  if (moduleUrl.startsWith('file:')) parents.unshift(moduleUrl);
  for (const parent of parents) {
    let manifest: string;
    try {
      manifest = createRequire(parent).resolve('tsx/package.json');
    } catch {
      continue;
    }
    const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      exports?: Record<string, unknown>;
    };
    const targets = ['./esm/api', './cjs/api'].map((path) => importTarget(exports?.[path]));
    if (targets.every((target) => target !== undefined)) {
      return targets.map((target) => new URL(target, pathToFileURL(manifest)).href);
    }
  }
  return undefined;
}

/** The file an `exports` entry gives `import`: a string, or `{ import: string | { default } }`. */
function importTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { import: imported, default: fallback } = entry as Record<string, unknown>;
  return importTarget(imported) ?? (typeof fallback === 'string' ? fallback : undefined);
}
