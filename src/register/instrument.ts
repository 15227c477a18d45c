import { parse } from 'es-module-lexer/js';
import jsTokens from 'js-tokens';
import { hasSourceMap, identitySourceMap } from './source-map.ts';

/**
 * Makes the exports of an ES module patchable through its namespace: appends one line (so no
 * line moves, and stack traces and source maps stay right) that imports the module's own
 * namespace and registers it, with `registerUrl`'s `registerBindings`, along with the export
 * names of each exported local binding (several export names of one local share it) and one
 * function that assigns the local of a given index. Reading goes through the namespace, whose
 * properties are the live bindings; setting changes the live binding, so every importer, and
 * the module's own calls, see the patched function. The appended code is one `switch` of one
 * short `case` per local and two functions in all, whatever the number of exports: a module
 * with 40,000 exports costs V8 little more to compile than without it.
 *
 * Assignable locals are functions, classes, `let` and `var`. A top-level `const` declaration
 * of an exported local (`export const f = ...`, or `const f = ...; export { f }` as tsx and
 * esbuild emit) is rewritten to `let  `, padded to the same length: the one change of
 * behaviour is that assigning to it no longer throws. Always returns the instrumented module,
 * also when nothing is patchable, so that a hook on it can say why.
 *
 * With `sourceMaps` (Node runs with `--enable-source-maps`), a module whose text changed gets
 * a source map onto its own file, so that Node prints its original lines in errors (see
 * `source-map.ts`); without, Node prints the line it ran, `let  ` included.
 *
 * The `const` keywords are found from the lexer's positions (`export const`), or by
 * tokenizing the module (js-tokens) when a local is exported by a list (`export { f }`), never
 * by searching its text: the same letters in a string, template literal, comment or inner
 * scope stay as they are.
 */
export function instrument(
  source: string,
  url: string,
  registerUrl: string,
  sourceMaps = false,
): string | undefined {
  let exports: ReturnType<typeof parse>[1];
  try {
    [, exports] = parse(source);
  } catch {
    return undefined; // not something the lexer understands: leave it exactly as it was
  }
  const locals = new Map<string, string[]>();
  /** Offsets of the `const` keywords of `export const` declarations. */
  const declared = new Set<number>();
  /** Locals exported by a list (`export { f }`), whose declaration is still to be found. */
  const listed = new Set<string>();
  for (const entry of exports) {
    if (entry.type !== 'direct' || entry.localName === undefined || entry.typeOnly) continue;
    const { name, localName } = entry as { name: string; localName: string };
    if (!IDENTIFIER.test(localName)) continue;
    const names = locals.get(localName);
    if (names === undefined) locals.set(localName, [name]);
    else names.push(name);
    const keyword = declarationKeyword(source, entry.exportStart + 'export'.length);
    if (keyword === undefined) listed.add(localName);
    else if (source.startsWith('const', keyword)) declared.add(keyword);
  }
  const code = rewriteConsts(source, declared, listed);
  const fresh = freshNames(code);
  // The setter's parameters need only differ from the locals it assigns: one letter each.
  const [index = 'i', value = 'v'] = ['i', 'v', 'w', 'x', 'y', 'z'].filter((n) => !locals.has(n));
  const cases: string[] = [];
  const table: string[] = [];
  let i = 0;
  for (const [local, names] of locals) {
    cases.push(`case ${i++}:${local}=${value};return;`);
    table.push(names.length === 1 ? JSON.stringify(names[0]) : JSON.stringify(names));
  }
  // Imports are hoisted, and this runs once the module's own code (top-level await included)
  // has run. It names no global: the module may declare its own `Object` or `WeakMap`.
  const map =
    sourceMaps && code !== source && !hasSourceMap(source)
      ? `${identitySourceMap(source, url)}\n`
      : '';
  return (
    `${code}\n;import * as ${fresh.self} from ${JSON.stringify(url)};` +
    `import { registerBindings as ${fresh.register} } from ${JSON.stringify(registerUrl)};` +
    `${fresh.register}(${fresh.self},[${table.join(',')}],(${index},${value})=>{switch(${index}){${cases.join('')}}});\n` +
    map
  );
}

/** A local that the appended code can name (not `default`, not a string export name). */
const IDENTIFIER = /^[\p{ID_Start}_$][\p{ID_Continue}$\u200c\u200d]*$/u;

/**
 * The offset of the word that follows `export` at `from` (`const`, `let`, `function`,
 * `class`, ...), past white space and comments; undefined when a list follows (`export {`).
 */
function declarationKeyword(source: string, from: number): number | undefined {
  let at = from;
  for (;;) {
    WHITE_SPACE_OR_COMMENT.lastIndex = at;
    const skipped = WHITE_SPACE_OR_COMMENT.exec(source);
    if (skipped === null || skipped[0].length === 0) break;
    at += skipped[0].length;
  }
  const next = source.charCodeAt(at);
  return (next >= 97 && next <= 122) || next === 95 || next === 36 ? at : undefined;
}

const WHITE_SPACE_OR_COMMENT = /\s+|\/\*[\s\S]*?\*\/|\/\/[^\n\r\u2028\u2029]*/y;

/**
 * Rewrites the `const` keywords at `declared`, and those of top-level declarations whose
 * first name is one of `listed` (`const f = ...; export { f }`), to `let  `. The second kind
 * is found by tokens: the module's strings, template literals, comments and regular
 * expressions are never touched, nor any `const` inside braces or parentheses (functions,
 * blocks, `for (...)`). Tokenizing the whole module is the costly part, so it is done only
 * when a module exports a local by a list and has a `const` at all.
 */
function rewriteConsts(source: string, declared: Set<number>, listed: Set<string>): string {
  const starts = new Set(declared);
  if (listed.size > 0 && source.includes('const')) {
    for (const start of listedConsts(source, listed)) starts.add(start);
  }
  if (starts.size === 0) return source;
  let code = '';
  let from = 0;
  for (const start of [...starts].sort((a, b) => a - b)) {
    code += `${source.slice(from, start)}let  `;
    from = start + 'const'.length;
  }
  return code + source.slice(from);
}

/** The offsets of the top-level `const` declarations whose first name is one of `names`. */
function listedConsts(source: string, names: Set<string>): number[] {
  const starts: number[] = [];
  let offset = 0;
  let depth = 0;
  let previous = '';
  /** The offset of a top-level `const` whose declared name is still to be seen. */
  let pending = -1;
  for (const token of jsTokens(source)) {
    const at = offset;
    offset += token.value.length;
    if (!isSignificant(token.type)) continue;
    if (pending >= 0) {
      if (token.type === 'IdentifierName' && names.has(token.value)) starts.push(pending);
      pending = -1;
    }
    if (token.type === 'Punctuator') {
      if (token.value === '{' || token.value === '(' || token.value === '[') depth++;
      else if (token.value === '}' || token.value === ')' || token.value === ']') depth--;
    } else if (
      token.type === 'IdentifierName' &&
      token.value === 'const' &&
      depth === 0 &&
      previous !== '.' &&
      previous !== '?.'
    ) {
      pending = at;
    }
    previous = token.value;
  }
  return starts;
}

/** Tokens that are code (not white space, line breaks or comments). */
function isSignificant(type: string): boolean {
  return (
    type !== 'WhiteSpace' &&
    type !== 'LineTerminatorSequence' &&
    type !== 'MultiLineComment' &&
    type !== 'SingleLineComment' &&
    type !== 'HashbangComment'
  );
}

/** Names for the appended imports that the module does not use anywhere. */
function freshNames(code: string) {
  let n = 0;
  while (code.includes(`__interleave${n}_`)) n++;
  const base = `__interleave${n}_`;
  return { self: `${base}self`, register: `${base}register` };
}

/**
 * Whether a module is the project's own: a file outside node_modules (unless its package is
 * in `packages`, from INTERLEAVE_REGISTER_PACKAGES) and outside interleave itself. The package
 * is the one of the innermost node_modules folder (so pnpm's `.pnpm/...` layout works too).
 */
export function isProjectModule(
  url: string,
  interleaveCode: string,
  packages: readonly string[],
): boolean {
  if (!url.startsWith('file:') || url.startsWith(interleaveCode)) return false;
  const inPackages = [...url.matchAll(/\/node_modules\/((?:@[^/]+\/)?[^/]+)(?=\/)/g)].at(-1);
  if (inPackages === undefined) return true;
  return packages.includes(inPackages[1] ?? '');
}

/** The package names of INTERLEAVE_REGISTER_PACKAGES (comma-separated). */
export function packagesFrom(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}
