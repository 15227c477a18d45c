/**
 * What `--import interleave/register` costs at import time: a tree of 200 project modules
 * (each importing two others and exporting three functions, a const and a class) is imported
 * in a fresh Node process, with and without the loader; the time of the `import()` itself is
 * measured inside the process (Node's own start-up excluded), median of several processes.
 * And one large module (2.4 MB, 40,000 exports, half functions and half `export const`
 * arrow functions, as generated code has them): its import time and the process's peak RSS.
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

/** Runs `measure.mjs` of `dir` in a fresh process (with `args`); returns what it printed. */
function measureIn(dir: string, args: string[]): string {
  return execFileSync(process.execPath, [...args, join(dir, 'measure.mjs')], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  }).trim();
}

const registerPath = () => fileURLToPath(new URL('../dist/register/index.js', import.meta.url));

export function benchRegister(processes: number): RegisterResult {
  const dir = mkdtempSync(join(tmpdir(), 'interleave-register-bench-'));
  try {
    writeTree(dir);
    const register = registerPath();
    const time = (args: string[]) => Number(measureIn(dir, args));
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

/** The large module: `exports` exports of about 60 bytes each (2.4 MB for 40,000). */
function writeLarge(dir: string, exports: number): number {
  const lines: string[] = [];
  for (let i = 0; i < exports; i++) {
    lines.push(
      i % 2 === 0
        ? `export function f${i}(a, b) { return a + b * ${i}; /* pad */ }`
        : `export const f${i} = (x) => x * ${i} + 1; // a comment`,
    );
  }
  const source = `${lines.join('\n')}\n`;
  writeFileSync(join(dir, 'large.mjs'), source);
  writeFileSync(
    join(dir, 'measure.mjs'),
    [
      `const start = process.hrtime.bigint();`,
      `const m = await import('./large.mjs');`,
      `const ms = Number(process.hrtime.bigint() - start) / 1e6;`,
      `if (Object.keys(m).length !== ${exports}) throw new Error('exports missing');`,
      `console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024 }));`,
    ].join('\n'),
  );
  return source.length;
}

export interface LargeModuleResult {
  megabytes: number;
  exports: number;
  plainMs: number;
  registerMs: number;
  plainRssMb: number;
  registerRssMb: number;
}

/** Imports one large module with and without the loader; medians of `processes` runs each. */
export function benchRegisterLarge(processes: number, exports = 40_000): LargeModuleResult {
  const dir = mkdtempSync(join(tmpdir(), 'interleave-register-large-'));
  try {
    const bytes = writeLarge(dir, exports);
    const run = (args: string[]) =>
      JSON.parse(measureIn(dir, args)) as { ms: number; rssMb: number };
    const plain: { ms: number; rssMb: number }[] = [];
    const withLoader: { ms: number; rssMb: number }[] = [];
    for (let i = 0; i < processes; i++) {
      plain.push(run([]));
      withLoader.push(run(['--import', registerPath()]));
    }
    return {
      megabytes: bytes / 1e6,
      exports,
      plainMs: median(plain.map((r) => r.ms)),
      registerMs: median(withLoader.map((r) => r.ms)),
      plainRssMb: median(plain.map((r) => r.rssMb)),
      registerRssMb: median(withLoader.map((r) => r.rssMb)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
