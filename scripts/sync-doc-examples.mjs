// `npm run docs:examples`: rewrites every ts block of the README and docs/ that follows an
// `<!-- example: file[#region] -->` marker with the current content of that file or region,
// which test/docs-examples.test.ts then checks. Edit the tested file, then run this.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { shown } from './doc-examples.mjs';

const root = new URL('..', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');

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
