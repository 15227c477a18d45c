import { parse } from 'es-module-lexer/js';

/** Where instrumented modules register their exports' accessors (see src/hooks/esm-bindings.ts). */
export const BINDINGS_KEY = 'interleave.esm.bindings';

/** The name of the namespace binding the appended code imports (a self-import). */
const SELF = '__interleave_self__';

/**
 * Makes the exports of an ES module patchable through its namespace, without changing what
 * the module does: appends (so no line moves, and source maps stay right) a self-import and a
 * registration of a getter and a setter per export whose local binding can be assigned
 * (functions, classes, `let`, `var`; `export const` declarations become `let`, padded to the
 * same length). The setter changes the live binding, so every importer, and the module's own
 * calls, see the patched function. Returns undefined when the module exports nothing that could
 * be patched.
 */
export function instrument(source: string, url: string): string | undefined {
  let exports: ReturnType<typeof parse>[1];
  try {
    [, exports] = parse(source);
  } catch {
    return undefined; // not something the lexer understands: leave it exactly as it was
  }
  const accessors: string[] = [];
  const constAt = new Set<number>();
  for (const entry of exports) {
    if (entry.type !== 'direct' || entry.localName === undefined || entry.typeOnly) continue;
    const { name, localName } = entry as { name: string; localName: string };
    if (!/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(localName)) continue;
    const declaration = /^export\s+const\s/.exec(source.slice(entry.exportStart));
    if (declaration) constAt.add(entry.exportStart + declaration[0].indexOf('const'));
    accessors.push(
      `${JSON.stringify(name)}: { get: () => ${localName}, set: (value) => { ${localName} = value; } }`,
    );
  }
  if (accessors.length === 0) return undefined;
  let code = source;
  for (const at of [...constAt].sort((a, b) => b - a)) {
    code = `${code.slice(0, at)}let  ${code.slice(at + 5)}`;
  }
  // One line, after everything: imports are hoisted, and the registration runs once the
  // module's own code (top-level await included) has run.
  return (
    `${code}\n;import * as ${SELF} from ${JSON.stringify(url)};` +
    `(globalThis[Symbol.for(${JSON.stringify(BINDINGS_KEY)})] ??= new WeakMap()).set(${SELF}, { ${accessors.join(', ')} });\n`
  );
}

/**
 * Whether a module is the project's own: a file outside node_modules (unless its package is
 * listed in INTERLEAVE_REGISTER_PACKAGES, comma-separated) and outside interleave itself.
 */
export function isProjectModule(url: string, interleaveCode: string): boolean {
  if (!url.startsWith('file:') || url.startsWith(interleaveCode)) return false;
  const inPackages = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (inPackages === null) return true;
  const opted = (process.env.INTERLEAVE_REGISTER_PACKAGES ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return opted.includes(inPackages[1] ?? '');
}
