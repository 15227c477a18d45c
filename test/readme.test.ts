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
    // The tested file marks the test `it.fails`: it is the red test, and must stay red.
    expect(shown).toBe(source.replace('it.fails(', 'it('));
    expect(source).toContain('it.fails(');
  }
});

it('starts with the two commands a newcomer runs', () => {
  const firstScreen = readme.split('\n').slice(0, 20).join('\n');

  expect(firstScreen).toContain('npm ci && npm run demo');
  expect(firstScreen).toContain('npm test');
});
