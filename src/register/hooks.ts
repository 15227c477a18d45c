/**
 * Module loader hooks of `interleave/register`, for `module.register` (Node 20.19+, run on the
 * loader thread) and `module.registerHooks` (Node >= 22.15, run in the thread itself).
 */
import { instrument, isProjectModule } from './instrument.ts';

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

function text(source: LoadResult['source']): string | undefined {
  if (typeof source === 'string') return source;
  if (source == null) return undefined;
  return Buffer.from(source as ArrayBuffer).toString('utf8');
}

/** The instrumented version of a loaded module, or the result unchanged. */
export function transform(url: string, result: LoadResult): LoadResult {
  if (!isProjectModule(url, OWN)) return result;
  const source = text(result.source);
  // Node's own type stripping hands over TypeScript ('module-typescript'): the appended code is
  // TypeScript too, and Node strips the types afterwards.
  if (
    source === undefined ||
    (result.format !== 'module' && result.format !== 'module-typescript')
  ) {
    return result;
  }
  const instrumented = instrument(source, url);
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
