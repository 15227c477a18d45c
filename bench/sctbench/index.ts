/**
 * The SCTBench `concurrent-software-benchmarks` programs ported to interleave (issue 15):
 * each with its bug, its thread count and loop bounds as in the original, a scheduling point
 * before every shared read, write, lock, unlock, wait and signal.
 */
import { accountProgram } from './account.ts';
import { bluetoothDriverProgram } from './bluetooth-driver.ts';
import { carter01Program } from './carter01.ts';
import { circularBufferProgram } from './circular-buffer.ts';
import { deadlock01Program } from './deadlock01.ts';
import type { SctProgram } from './program.ts';
import { queueProgram } from './queue.ts';
import { reorder10Program, reorder20Program, reorder3Program } from './reorder.ts';
import { stackProgram } from './stack.ts';
import { sync01Program } from './sync01.ts';
import { tokenRingProgram } from './token-ring.ts';
import { twostage100Program, twostageProgram } from './twostage.ts';
import { wronglockProgram } from './wronglock.ts';

export type { Fragment, SctProgram } from './program.ts';
export type { LockStyle, PortOptions, Point } from './support.ts';

/** Every port, in the order of the list. */
export const programs: readonly SctProgram[] = [
  accountProgram,
  bluetoothDriverProgram,
  carter01Program,
  circularBufferProgram,
  deadlock01Program,
  queueProgram,
  reorder3Program,
  reorder10Program,
  reorder20Program,
  stackProgram,
  sync01Program,
  tokenRingProgram,
  twostageProgram,
  twostage100Program,
  wronglockProgram,
];

/** The port named `name` (as in the issue: `account`, `twostage_100`, ...). */
export function program(name: string): SctProgram {
  const found = programs.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no SCTBench port named ${name}`);
  return found;
}
