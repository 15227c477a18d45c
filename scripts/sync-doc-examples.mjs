// `npm run docs:examples`: rewrites every ts block of the README and docs/ that follows an
// `<!-- example: file[#region] -->` marker with the current content of that file or region,
// which test/docs-examples.test.ts then checks. Edit the tested file, then run this.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');

function shown(target) {
  const [file, region] = target.split('#');
  const source = read(file);
  if (region === undefined) return source.replace('it.fails(', 'it(');
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.trim() === `// #region ${region}`);
  const end = lines.findIndex((line, i) => i > start && line.trim() === '// #endregion');
  if (start < 0 || end < 0) throw new Error(`${file} has no region "${region}"`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(
    ...body.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)[0].length),
  );
  return body.map((line) => line.slice(indent)).join('\n') + '\n';
}

const pages = [
  'README.md',
  ...readdirSync(new URL('docs/', root))
    .filter((n) => n.endsWith('.md'))
    .map((n) => `docs/${n}`),
];
for (const page of pages) {
  const text = read(page);
  const next = text.replace(
    /(<!-- example: (\S+) -->\n+```(?:ts|js)\n)[\s\S]*?```/g,
    (_, head, target) => `${head}${shown(target)}\`\`\``,
  );
  if (next !== text) {
    writeFileSync(new URL(page, root), next);
    console.log(`updated ${page}`);
  }
}
