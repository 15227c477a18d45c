/**
 * Module loader hooks of `interleave/register`, for `module.register` (Node 20.19+, run on the
 * loader thread) and `module.registerHooks` (Node >= 22.15, run in the thread itself).
 */
import { instrument, isProjectModule, packagesFrom } from './instrument.ts';

interface LoadContext {
  format?: string | null | undefined;
}

interface LoadResult {
  format?: string | null | undefined;
  source?: string | ArrayBuffer | NodeJS.TypedArray | null | undefined;
  shortCircuit?: boolean;
}

/** interleave's own code (dist/, or src/ when run from source) is never instrumented. */
const OWN = new URL('../', import.meta.url).href;
/** The module instrumented code registers its bindings with (the one `after()` reads). */
const REGISTER_URL = new URL(
  import.meta.url.endsWith('.ts') ? '../hooks/esm-bindings.ts' : '../hooks/esm-bindings.js',
  import.meta.url,
).href;

/** Packages opted in; read once, in the thread that registered the hooks (see `initialize`). */
let packages = packagesFrom(process.env.INTERLEAVE_REGISTER_PACKAGES);

/** `module.register` hands over the registering thread's settings. */
export function initialize(data: { packages?: string[] } | undefined): void {
  if (data?.packages !== undefined) packages = data.packages;
}

function text(source: LoadResult['source']): string | undefined {
  if (source == null) return undefined;
  // Decoded as Node would: a UTF-8 byte order mark is not part of the code.
  const code = typeof source === 'string' ? source : new TextDecoder().decode(source);
  return code.startsWith('\uFEFF') ? code.slice(1) : code;
}

/** The instrumented version of a loaded module, or the result unchanged. */
function transform(url: string, result: LoadResult): LoadResult {
  if (!isProjectModule(url, OWN, packages)) return result;
  // Node's own type stripping hands over TypeScript ('module-typescript'): the appended code is
  // TypeScript too, and Node strips the types afterwards.
  if (result.format !== 'module' && result.format !== 'module-typescript') return result;
  const source = text(result.source);
  if (source === undefined) return result;
  const instrumented = instrument(source, url, REGISTER_URL, process.sourceMapsEnabled);
  return instrumented === undefined ? result : { ...result, source: instrumented };
}

/** `load` for `module.register`. */
export async function load(
  url: string,
  context: LoadContext,
  nextLoad: (url: string, context: LoadContext) => Promise<LoadResult>,
): Promise<LoadResult> {
  return transform(url, await nextLoad(url, context));
}

/** `load` for `module.registerHooks`. */
export function loadSync(
  url: string,
  context: LoadContext,
  nextLoad: (url: string, context: LoadContext) => LoadResult,
): LoadResult {
  return transform(url, nextLoad(url, context));
}
