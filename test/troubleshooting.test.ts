import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const root = new URL('../', import.meta.url);

it('docs/troubleshooting.md explains every error code, and only real ones (ArgumentError included)', () => {
  const errors = readFileSync(new URL('src/errors.ts', root), 'utf8');
  const union = errors.slice(errors.indexOf('export type InterleaveErrorCode'));
  const argument = readFileSync(new URL('src/argument-error.ts', root), 'utf8');
  const codes = [
    ...union.slice(0, union.indexOf(';')).matchAll(/'(ERR_[A-Z_]+)'/g),
    ...argument.matchAll(/^export type ArgumentErrorCode = '(ERR_[A-Z_]+)';$/gm),
  ].map(([, code]) => code);
  const docs = readFileSync(new URL('docs/troubleshooting.md', root), 'utf8');
  const documented = [...docs.matchAll(/^### `(ERR_[A-Z_]+)`$/gm)].map(([, code]) => code);

  expect(codes.length).toBeGreaterThan(10);
  expect(documented.toSorted()).toEqual(codes.toSorted());
});
