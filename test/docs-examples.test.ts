/**
 * Every TypeScript and JavaScript block in the README and docs/ is either a tested file (or a region of one),
 * shown verbatim, or an API summary whose names are real exports. So no example in the docs
 * can go stale: the suite runs the files the docs show.
 *
 *   <!-- example: examples/readme/box-race.test.ts -->          the whole file
 *   <!-- example: examples/recipes/job-queue.test.ts#claim -->  `// #region claim` ... `// #endregion`
 *   <!-- api-summary -->                                        signatures; names must be exports
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as interleave from 'interleave';
import * as interleaveDb from 'interleave/db';
import { shown } from '../scripts/doc-examples.mjs';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

const pages = [
  'README.md',
  ...readdirSync(new URL('docs/', root))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

interface Block {
  readonly page: string;
  readonly line: number;
  readonly marker: string | undefined;
  readonly code: string;
}

function tsBlocks(page: string): Block[] {
  const lines = read(page).split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts' && lines[i] !== '```js') continue;
    const end = lines.indexOf('```', i + 1);
    let j = i - 1;
    while (j >= 0 && lines[j]?.trim() === '') j--;
    const marker = /^<!-- (.+) -->$/.exec(lines[j] ?? '')?.[1];
    blocks.push({ page, line: i + 1, marker, code: lines.slice(i + 1, end).join('\n') + '\n' });
    i = end;
  }
  return blocks;
}

const exported = new Set([...Object.keys(interleave), ...Object.keys(interleaveDb)]);

describe.each(pages)('%s', (page) => {
  const blocks = tsBlocks(page);

  it.runIf(blocks.length > 0)('shows only tested code and real API names', () => {
    for (const block of blocks) {
      const where = `${block.page}:${block.line}`;
      expect(block.marker, `${where}: a code block needs an example or api-summary marker`).toMatch(
        /^(example: \S+|api-summary)$/,
      );
      if (block.marker?.startsWith('example: ')) {
        expect(block.code, where).toBe(shown(block.marker.slice('example: '.length)));
      } else {
        const calls = [...block.code.matchAll(/^(?:await )?([a-zA-Z]\w*)\(/gm)].map(([, n]) => n);
        for (const name of calls) expect(exported, `${where}: ${String(name)}`).toContain(name);
      }
    }
  });
});

it('the README shows its examples, the first two red until the race is fixed', () => {
  const examples = tsBlocks('README.md').filter((b) => b.marker?.startsWith('example: '));

  expect(examples.map((b) => b.marker)).toContain('example: examples/readme/lost-update.test.ts');
  expect(read('examples/readme/lost-update.test.ts')).toContain('it.fails(');
});
