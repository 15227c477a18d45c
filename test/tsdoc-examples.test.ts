/**
 * Every `@example` in the TSDoc of src/ is compiled against the library's types, so an
 * example cannot drift from the API it documents (the API reference in docs/api shows them).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(import.meta.url);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The code of each `@example` block: the fenced ts block after the tag, comment stars removed. */
function examples(file: string): { name: string; code: string }[] {
  const text = readFileSync(file, 'utf8');
  const found: { name: string; code: string }[] = [];
  const block = /@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g;
  for (const match of text.matchAll(block)) {
    const code = (match[1] ?? '')
      .split('\n')
      .map((line) => line.replace(/^\s*\* ?/, ''))
      .join('\n');
    const line = text.slice(0, match.index).split('\n').length;
    found.push({ name: `${relative(root, file)}:${line}`, code });
  }
  return found;
}

it('every TSDoc example compiles against the current API', () => {
  const all = sources(join(root, 'src')).flatMap(examples);
  const dir = mkdtempSync(join(root, 'node_modules', '.tsdoc-examples-'));
  try {
    mkdirSync(join(dir, 'examples'));
    const names = new Map<string, string>();
    all.forEach(({ name, code }, i) => {
      const file = `example-${i}.ts`;
      names.set(file, name);
      // Each example is its own module (most already import something).
      writeFileSync(join(dir, 'examples', file), `${code}\nexport {};\n`);
    });
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(root, 'tsconfig.json'),
        compilerOptions: {
          noEmit: true,
          noUnusedLocals: false,
          paths: {
            interleave: [join(root, 'src/index.ts')],
            'interleave/db': [join(root, 'src/db/index.ts')],
          },
        },
        include: ['examples/*.ts'],
      }),
    );
    const tsc = require.resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
    const output = result.stdout.replace(/\S*examples\/(example-\d+\.ts)/g, (_, file: string) =>
      String(names.get(file)),
    );

    expect(all.length).toBeGreaterThan(30);
    expect(output).toBe('');
    expect(result.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
