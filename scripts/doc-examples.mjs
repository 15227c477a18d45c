// What a docs code block must show for an `<!-- example: file[#region] -->` marker: the file
// (a red `it.fails` example shown as `it`), or the lines between `// #region name` and the
// next `// #endregion`, dedented. Shared by scripts/sync-doc-examples.mjs, which writes the
// blocks, and test/docs-examples.test.ts, which checks them.
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);

/** @param {string} target `path/from/root.ts` or `path/from/root.ts#region` */
export function shown(target) {
  const [file = '', region] = target.split('#');
  const source = readFileSync(new URL(file, root), 'utf8');
  if (region === undefined) return source.replace('it.fails(', 'it(');
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.trim() === `// #region ${region}`);
  const end = lines.findIndex((line, i) => i > start && line.trim() === '// #endregion');
  if (start < 0 || end < 0) throw new Error(`${file} has no region "${region}"`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(
    ...body.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0),
  );
  return body.map((line) => line.slice(indent)).join('\n') + '\n';
}
