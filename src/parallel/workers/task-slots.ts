/*
 * The per-task part of the shared barrier's memory (`barrier-header.ts` holds the header):
 * one slot of Int32 cells per task, read and written atomically from any thread.
 *
 * slot: STATE, PASSED (barriers passed), LABEL_LENGTH (-1: no label), LABEL_HASH,
 * FAIL_ORDER (0: not failed), FAILURE_LENGTH, LABEL_PASSED (1 while the label is that of the
 * last barrier the task passed, 0 once it arrives anew or its barrier broke), then
 * LABEL_CHARS UTF-16 units of the label the task waits with and FAILURE_CHARS of the one-line
 * summary of what it threw, so that every thread's messages can show what the async
 * barrier's show.
 */
const STATE = 0;
const PASSED = 1;
const LABEL_LENGTH = 2;
const LABEL_HASH = 3;
const FAIL_ORDER = 4;
const FAILURE_LENGTH = 5;
const LABEL_PASSED = 6;
const LABEL_START = 7;
const LABEL_CHARS = 48;
const FAILURE_START = LABEL_START + LABEL_CHARS;
const FAILURE_CHARS = 120;

/** Cells per task. */
export const SLOT = FAILURE_START + FAILURE_CHARS;

/** The states of a task, in STATE. */
export const RUNNING = 0;
export const WAITING = 1;
export const FINISHED = 2;
export const FAILED = 3;

/** The slots of `count` tasks in `cells`, from cell `start` on. */
export class TaskSlots {
  readonly #cells: Int32Array;
  readonly #start: number;

  constructor(cells: Int32Array, start: number) {
    this.#cells = cells;
    this.#start = start;
  }

  state(index: number): number {
    return Atomics.load(this.#cells, this.#at(index, STATE));
  }

  setState(index: number, state: number): void {
    Atomics.store(this.#cells, this.#at(index, STATE), state);
  }

  /** How many barriers task `index` has passed. */
  passed(index: number): number {
    return Atomics.load(this.#cells, this.#at(index, PASSED));
  }

  /** Task `index` goes on past the barrier it waited at. */
  pass(index: number): void {
    Atomics.add(this.#cells, this.#at(index, PASSED), 1);
    Atomics.store(this.#cells, this.#at(index, LABEL_PASSED), 1);
    this.setState(index, RUNNING);
  }

  /**
   * The label of the last barrier task `index` passed, as `{ label }` (`label` undefined: no
   * label); undefined if it passed none, or if it arrived at a barrier since (the stored
   * label is then that arrival's).
   */
  passedLabel(index: number): { label: string | undefined } | undefined {
    if (Atomics.load(this.#cells, this.#at(index, LABEL_PASSED)) !== 1) return undefined;
    return { label: this.label(index) };
  }

  failOrder(index: number): number {
    return Atomics.load(this.#cells, this.#at(index, FAIL_ORDER));
  }

  setFailOrder(index: number, order: number): void {
    Atomics.store(this.#cells, this.#at(index, FAIL_ORDER), order);
  }

  writeLabel(index: number, label: string | undefined): void {
    Atomics.store(this.#cells, this.#at(index, LABEL_PASSED), 0);
    Atomics.store(this.#cells, this.#at(index, LABEL_HASH), label === undefined ? 0 : hash(label));
    if (label === undefined) Atomics.store(this.#cells, this.#at(index, LABEL_LENGTH), -1);
    else this.#write(index, LABEL_LENGTH, LABEL_START, LABEL_CHARS, label);
  }

  /** The label as stored (cut at LABEL_CHARS characters, marked with `...`). */
  label(index: number): string | undefined {
    const text = this.#read(index, LABEL_LENGTH, LABEL_START, LABEL_CHARS);
    if (text === undefined) return undefined;
    const length = Atomics.load(this.#cells, this.#at(index, LABEL_LENGTH));
    return length > LABEL_CHARS ? `${text}...` : text;
  }

  /** Whether tasks `a` and `b` have the same label (compared whole, by its hash). */
  sameLabel(a: number, b: number): boolean {
    for (const cell of [LABEL_LENGTH, LABEL_HASH]) {
      const [cellA, cellB] = [this.#at(a, cell), this.#at(b, cell)];
      if (Atomics.load(this.#cells, cellA) !== Atomics.load(this.#cells, cellB)) return false;
    }
    return this.label(a) === this.label(b);
  }

  /** Keeps the one-line summary of what task `index` threw (cut with `…` to fit). */
  writeFailure(index: number, summary: string): void {
    const fits =
      summary.length <= FAILURE_CHARS ? summary : `${summary.slice(0, FAILURE_CHARS - 1)}…`;
    this.#write(index, FAILURE_LENGTH, FAILURE_START, FAILURE_CHARS, fits);
  }

  failure(index: number): string {
    return this.#read(index, FAILURE_LENGTH, FAILURE_START, FAILURE_CHARS) ?? '';
  }

  #at(index: number, cell: number): number {
    return this.#start + index * SLOT + cell;
  }

  /** Stores `text`: its whole length, and its first `max` UTF-16 units from cell `start`. */
  #write(index: number, length: number, start: number, max: number, text: string): void {
    Atomics.store(this.#cells, this.#at(index, length), text.length);
    const first = this.#at(index, start);
    for (let k = 0; k < Math.min(text.length, max); k++) {
      Atomics.store(this.#cells, first + k, text.charCodeAt(k));
    }
  }

  /** The text `#write` stored (at most `max` units); undefined for a length of -1. */
  #read(index: number, length: number, start: number, max: number): string | undefined {
    const stored = Atomics.load(this.#cells, this.#at(index, length));
    if (stored < 0) return undefined;
    const first = this.#at(index, start);
    let text = '';
    for (let k = 0; k < Math.min(stored, max); k++) {
      text += String.fromCharCode(Atomics.load(this.#cells, first + k));
    }
    return text;
  }
}

/** FNV-1a over UTF-16 units: labels longer than the stored part still compare whole. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
