import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

it('shows in the README exactly the example that examples/readme runs', () => {
  const marker = /<!-- readme-example: (\S+) -->\n+```ts\n([\s\S]*?)```/g;
  const examples = [...readme.matchAll(marker)];

  expect(examples.length).toBeGreaterThan(0);
  for (const [, file = '', shown = ''] of examples) {
    const source = readFileSync(new URL(file, root), 'utf8');
    // A red example is `it.fails` in the tested file (so it must stay red) and `it` as shown.
    expect(shown).toBe(source.replace('it.fails(', 'it('));
  }
  expect(examples.map(([, file]) => file)).toEqual([
    'examples/readme/lost-update.test.ts',
    'examples/readme/box-race.test.ts',
    'examples/readme/explore.test.ts',
  ]);
  expect(readFileSync(new URL('examples/readme/lost-update.test.ts', root), 'utf8')).toContain(
    'it.fails(',
  );
});

it('starts with the two commands a newcomer runs', () => {
  const firstScreen = readme.split('\n').slice(0, 20).join('\n');

  expect(firstScreen).toContain('npm ci && npm run demo');
  expect(firstScreen).toContain('npm test');
});
