/**
 * The code the README and docs/ show uses only what a user of the package can import: names
 * imported from 'interleave', 'interleave/db' or 'interleave/register' must be public exports
 * of that entry (types included), and a shown block may not use a name that its file imports
 * from the library's sources or the suite's helpers (a recipe once used the suite's `raceOf`).
 * Helpers defined in the example itself, or in modules next to it, are the reader's own code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { shown } from '../scripts/doc-examples.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');

/**
 * Suite helpers a shown block may use: they stand for the reader's own setup (opening a
 * connection), and the page must say so in its prose, e.g. "`pgClient()` opens a ...".
 */
const SETUP_HELPERS = new Set(['pgClient']);

/** Each public entry of the package ('interleave', 'interleave/db', ...) and its export names. */
function publicExports(): Map<string, Set<string>> {
  const pkg = JSON.parse(read('package.json')) as {
    name: string;
    exports: Record<string, string | { default: string }>;
  };
  const entries = new Map<string, string>();
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const file = typeof target === 'string' ? target : target.default;
    if (!file.endsWith('.js')) continue; // ./package.json
    const source = file.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
    entries.set(subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`, source);
  }
  const program = ts.createProgram(
    [...entries.values()].map((file) => resolve(root, file)),
    { module: ts.ModuleKind.NodeNext, allowImportingTsExtensions: true, noEmit: true },
  );
  const checker = program.getTypeChecker();
  const names = new Map<string, Set<string>>();
  for (const [specifier, file] of entries) {
    const source = program.getSourceFile(resolve(root, file));
    const module = source && checker.getSymbolAtLocation(source);
    const exported = module ? checker.getExportsOfModule(module).map((s) => s.name) : [];
    names.set(specifier, new Set(exported));
  }
  return names;
}

/** Every `<!-- example: file[#region] -->` of the README and docs/, with its page. */
function shownExamples(): [page: string, target: string][] {
  const pages = [
    'README.md',
    ...readdirSync(resolve(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  return pages.flatMap((page) =>
    [...read(page).matchAll(/<!-- example: (\S+) -->/g)].map((m): [string, string] => [
      page,
      m[1] ?? '',
    ]),
  );
}

interface Import {
  readonly specifier: string;
  /** The name the module exports (`default`, `*` for a namespace) and the local name. */
  readonly names: readonly { imported: string; local: string }[];
}

function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);
  const imports: Import[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier))
      continue;
    const clause = statement.importClause;
    const names: { imported: string; local: string }[] = [];
    if (clause?.name) names.push({ imported: 'default', local: clause.name.text });
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings))
      names.push({ imported: '*', local: bindings.name.text });
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        const imported = element.propertyName ?? element.name;
        names.push({ imported: imported.text, local: element.name.text });
      }
    }
    imports.push({ specifier: statement.moduleSpecifier.text, names });
  }
  return imports;
}

/** The identifiers in `code` (not those inside strings or comments). */
function identifiers(code: string): Set<string> {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, code);
  const found = new Set<string>();
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.Identifier) found.add(scanner.getTokenValue());
  }
  return found;
}

/** A relative import that reaches the library's sources or the suite's helpers. */
function isInternal(file: string, specifier: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const target = relative(root, resolve(root, dirname(file), specifier));
  return !target.startsWith('examples/') && !target.startsWith('test/fixtures/');
}

/**
 * What is wrong with the imports a shown example relies on; empty when nothing is. `page`
 * is the doc that shows it (undefined: check the file alone).
 */
function problems(target: string, exports: Map<string, Set<string>>, page?: string): string[] {
  const file = target.split('#')[0] ?? '';
  const prose = page === undefined ? '' : read(page);
  const used = identifiers(shown(target));
  const found: string[] = [];
  for (const { specifier, names } of importsOf(file)) {
    if (specifier === 'interleave' || specifier.startsWith('interleave/')) {
      const entry = exports.get(specifier);
      if (entry === undefined) {
        found.push(`${file} imports '${specifier}', which is not an entry of the package`);
        continue;
      }
      for (const { imported } of names) {
        if (imported !== '*' && !entry.has(imported))
          found.push(
            `${file} imports \`${imported}\` from '${specifier}', which does not export it`,
          );
      }
    } else if (isInternal(file, specifier)) {
      for (const { local } of names) {
        if (!used.has(local)) continue;
        if (!SETUP_HELPERS.has(local)) {
          found.push(
            `${target} shows \`${local}\`, imported from '${specifier}', which users cannot import`,
          );
        } else if (!prose.includes(`\`${local}()\``)) {
          found.push(`${page ?? file} shows \`${local}()\` without saying what it stands for`);
        }
      }
    }
  }
  return found;
}

describe('the code the docs show', () => {
  const exports = publicExports();

  it('finds the public entries and their exports, types included', () => {
    expect([...exports.keys()]).toEqual(['interleave', 'interleave/db', 'interleave/register']);
    expect(exports.get('interleave')).toContain('explore');
    expect(exports.get('interleave')).toContain('Runner');
    expect(exports.get('interleave/db')).toContain('isDeadlock');
  });

  it.each(shownExamples())('%s: %s imports only public exports', (page, target) => {
    expect(problems(target, exports, page)).toEqual([]);
  });

  it('catches a shown name from the suite, and a name the package does not export', () => {
    expect(problems('test/fixtures/docs-imports/bad-example.mjs', exports)).toEqual([
      "test/fixtures/docs-imports/bad-example.mjs imports `formatValue` from 'interleave', which does not export it",
      "test/fixtures/docs-imports/bad-example.mjs shows `raceOf`, imported from '../../support/explore.ts', which users cannot import",
    ]);
  });
});
