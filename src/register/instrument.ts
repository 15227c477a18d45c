import { parse } from 'es-module-lexer/js';
import jsTokens from 'js-tokens';

/**
 * Makes the exports of an ES module patchable through its namespace: appends one line (so no
 * line moves, and stack traces and source maps stay right) that imports the module's own
 * namespace and registers, with `registerUrl`'s `registerBindings`, one getter/setter pair
 * per exported local binding (several export names of one local share it). Setting changes
 * the live binding, so every importer, and the module's own calls, see the patched function.
 *
 * Assignable locals are functions, classes, `let` and `var`. A top-level `const` declaration
 * of an exported local (`export const f = ...`, or `const f = ...; export { f }` as tsx and
 * esbuild emit) is rewritten to `let  `, padded to the same length: the one change of
 * behaviour is that assigning to it no longer throws. Always returns the instrumented module,
 * also when nothing is patchable, so that a hook on it can say why.
 *
 * The `const` keywords are found by tokenizing the module (js-tokens), not by searching its
 * text: the same letters in a string, template literal, comment or inner scope stay as they are.
 */
export function instrument(source: string, url: string, registerUrl: string): string | undefined {
  let exports: ReturnType<typeof parse>[1];
  try {
    [, exports] = parse(source);
  } catch {
    return undefined; // not something the lexer understands: leave it exactly as it was
  }
  const locals = new Map<string, string[]>();
  for (const entry of exports) {
    if (entry.type !== 'direct' || entry.localName === undefined || entry.typeOnly) continue;
    const { name, localName } = entry as { name: string; localName: string };
    if (!/^[\p{ID_Start}_$][\p{ID_Continue}$\u200c\u200d]*$/u.test(localName)) continue;
    locals.set(localName, [...(locals.get(localName) ?? []), name]);
  }
  const code = rewriteConsts(source, [...locals.keys()]);
  const fresh = freshNames(code);
  const entries: string[] = [];
  const accessors: string[] = [];
  let i = 0;
  for (const [local, names] of locals) {
    const accessor = `${fresh.accessor}${i++}`;
    accessors.push(
      `${accessor} = { get: () => ${local}, set: (${fresh.value}) => { ${local} = ${fresh.value}; } }`,
    );
    for (const name of names) entries.push(`[${JSON.stringify(name)}]: ${accessor}`);
  }
  const declarations = accessors.length > 0 ? `const ${accessors.join(', ')};` : '';
  // Imports are hoisted, and this runs once the module's own code (top-level await included)
  // has run.
  return (
    `${code}\n;import * as ${fresh.self} from ${JSON.stringify(url)};` +
    `import { registerBindings as ${fresh.register} } from ${JSON.stringify(registerUrl)};` +
    `${declarations}${fresh.register}(${fresh.self}, { ${entries.join(', ')} });\n`
  );
}

/**
 * Rewrites the `const` keyword of top-level declarations that are exported (`export const`) or
 * whose first name is one of these locals (`const f = ...; export { f }`) to `let  `. Only
 * tokens count: the module's strings, template literals, comments and regular expressions are
 * never touched, nor any `const` inside braces or parentheses (functions, blocks, `for (...)`).
 */
function rewriteConsts(source: string, locals: readonly string[]): string {
  if (locals.length === 0) return source;
  const names = new Set(locals);
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
      if (previous === 'export') starts.push(at);
      else pending = at;
    }
    previous = token.value;
  }
  let code = '';
  let from = 0;
  for (const start of starts) {
    code += `${source.slice(from, start)}let  `;
    from = start + 'const'.length;
  }
  return code + source.slice(from);
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

/** Names for the appended code that the module does not use anywhere. */
function freshNames(code: string) {
  let n = 0;
  while (code.includes(`__interleave${n}_`)) n++;
  const base = `__interleave${n}_`;
  return {
    self: `${base}self`,
    register: `${base}register`,
    accessor: `${base}b`,
    value: `${base}value`,
  };
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
