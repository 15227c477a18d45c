// `npm run lint` runs this: fails when the modules of src/ import each other in a cycle,
// counting `import type` and `export ... from` (one layer that names another's types
// still depends on it). ESLint's import-x/no-cycle never follows `import type`, and the
// cycles issue #13 found in src/hooks were all closed by type imports. The layers
// themselves (nothing imports src/explore, ...) are no-restricted-imports in eslint.config.js.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
  .map((entry) => join(entry.parentPath, entry.name));
const known = new Set(files);

/** Each file's relative imports of other files of src/ (type-only ones included). */
const graph = new Map(
  files.map((file) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const deps = importedFiles
      .filter(({ fileName }) => fileName.startsWith('.'))
      .map(({ fileName }) => resolve(dirname(file), fileName))
      .filter((dep) => known.has(dep));
    return [file, deps];
  }),
);

// Depth-first search: an edge back to a file still on the path closes a cycle.
const ON_PATH = 1;
const DONE = 2;
const state = new Map();
const path = [];
const cycles = [];
function visit(file) {
  state.set(file, ON_PATH);
  path.push(file);
  for (const dep of graph.get(file) ?? []) {
    if (state.get(dep) === ON_PATH) cycles.push([...path.slice(path.indexOf(dep)), dep]);
    else if (!state.has(dep)) visit(dep);
  }
  path.pop();
  state.set(file, DONE);
}
for (const file of files) if (!state.has(file)) visit(file);

if (cycles.length > 0) {
  console.error(`Import cycles in src/ (type imports count): make the imports go one way.`);
  for (const cycle of cycles) {
    console.error(`  ${cycle.map((file) => relative(root, file)).join(' -> ')}`);
  }
  process.exit(1);
}
