/**
 * What `--import interleave/register` costs at import time: a tree of 200 project modules
 * (each importing two others and exporting three functions, a const and a class) is imported
 * in a fresh Node process, with and without the loader; the time of the `import()` itself is
 * measured inside the process (Node's own start-up excluded), median of several processes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MODULES = 200;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function writeTree(dir: string): void {
  for (let i = 0; i < MODULES; i++) {
    const imports = [2 * i + 1, 2 * i + 2].filter((j) => j < MODULES);
    const lines = [
      ...imports.map((j) => `import { f0 as g${j} } from './m${j}.mjs';`),
      `export function f0() { return ${i}${imports.map((j) => ` + g${j}()`).join('')}; }`,
      `export async function f1(x) { return x + ${i}; }`,
      `export const f2 = (x) => x * ${i};`,
      `export const LIMIT = ${i};`,
      `export class C${i} { value = ${i}; }`,
    ];
    writeFileSync(join(dir, `m${i}.mjs`), `${lines.join('\n')}\n`);
  }
  writeFileSync(
    join(dir, 'measure.mjs'),
    [
      `const start = process.hrtime.bigint();`,
      `const m = await import('./m0.mjs');`,
      `const ms = Number(process.hrtime.bigint() - start) / 1e6;`,
      `if (typeof m.f0() !== 'number') throw new Error('tree broken');`,
      `console.log(ms);`,
    ].join('\n'),
  );
}

export interface RegisterResult {
  modules: number;
  plainMs: number;
  registerMs: number;
  ratio: number;
}

export function benchRegister(processes: number): RegisterResult {
  const dir = mkdtempSync(join(tmpdir(), 'interleave-register-bench-'));
  try {
    writeTree(dir);
    const register = fileURLToPath(new URL('../dist/register/index.js', import.meta.url));
    const time = (args: string[]) =>
      Number(
        execFileSync(process.execPath, [...args, join(dir, 'measure.mjs')], {
          encoding: 'utf8',
          env: { ...process.env, NODE_OPTIONS: '' },
        }).trim(),
      );
    const plain: number[] = [];
    const withLoader: number[] = [];
    for (let i = 0; i < processes; i++) {
      plain.push(time([]));
      withLoader.push(time(['--import', register]));
    }
    const plainMs = median(plain);
    const registerMs = median(withLoader);
    return { modules: MODULES, plainMs, registerMs, ratio: registerMs / plainMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
