/** Where progress goes: stderr, or a stand-in in tests. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** What a progress line shows. */
export interface ProgressState {
  readonly schedules: number;
  readonly failures: number;
  readonly phase: 'exploring' | 'shrinking';
}

const QUIET_MS = 1000;
const EVERY_MS = 200;

/**
 * One status line for long explorations, on a TTY only: nothing for the first second, then
 * at most five updates a second, erased when the exploration ends.
 */
export class Progress {
  readonly #stream: ProgressStream;
  readonly #now: () => number;
  readonly #start: number;
  #last = -Infinity;
  #shown = false;

  constructor(stream: ProgressStream, now: () => number = () => performance.now()) {
    this.#stream = stream;
    this.#now = now;
    this.#start = now();
  }

  update(state: ProgressState): void {
    if (this.#stream.isTTY !== true) return;
    const now = this.#now();
    if (now - this.#start < QUIET_MS || now - this.#last < EVERY_MS) return;
    this.#last = now;
    const seconds = ((now - this.#start) / 1000).toFixed(1);
    const failing = `${state.failures} failing`;
    this.#stream.write(
      `\r\x1b[2Kinterleave explore: ${state.phase}, ${state.schedules} schedules, ${failing}, ${seconds} s`,
    );
    this.#shown = true;
  }

  done(): void {
    if (this.#shown) this.#stream.write('\r\x1b[2K');
    this.#shown = false;
  }
}
