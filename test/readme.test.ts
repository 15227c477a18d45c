import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

it('starts with the two commands a newcomer runs', () => {
  const firstScreen = readme.split('\n').slice(0, 20).join('\n');

  expect(firstScreen).toContain('npm ci && npm run demo');
  expect(firstScreen).toContain('npm test');
});
