import { loadTimeout } from './load-errors.ts';

/**
 * Bounds how long each thread of `runInWorkers` may take to load the task module: from the
 * moment its entry begins to import it (reported by the thread; Node starting the thread and
 * interleave's own loader before that are not counted, as they take seconds for many threads
 * on a loaded machine) until it is ready, at most `taskTimeout` ms. A module that blocks at
 * its top level (Atomics.wait, an endless loop) never gets there: the clock then fails the
 * run's start with `ERR_TASK_MODULE_LOAD`, naming every thread still loading.
 */
export class LoadClock {
  readonly #moduleUrl: string;
  readonly #names: readonly string[];
  readonly #ms: number;
  readonly #fail: (error: unknown) => void;
  /** When each thread still loading began to, by task index. */
  readonly #loading = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    moduleUrl: string,
    names: readonly string[],
    ms: number,
    fail: (error: unknown) => void,
  ) {
    this.#moduleUrl = moduleUrl;
    this.#names = names;
    this.#ms = ms;
    this.#fail = fail;
  }

  /** Thread `index` began to load the module. */
  begin(index: number): void {
    if (this.#stopped || this.#ms === Infinity) return;
    this.#loading.set(index, performance.now());
    this.#timer ??= setTimeout(() => {
      this.#check();
    }, this.#ms);
  }

  /** Thread `index` loaded it. */
  end(index: number): void {
    this.#loading.delete(index);
  }

  /** The run started or failed: no clock stays behind. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Fails the start if a thread has loaded for `ms` or more; else looks again when one will. */
  #check(): void {
    this.#timer = undefined;
    if (this.#stopped || this.#loading.size === 0) return;
    const now = performance.now();
    const over = [...this.#loading].filter(([, since]) => now - since >= this.#ms - 1);
    if (over.length > 0) {
      const stuck = [...this.#loading.keys()]
        .sort((a, b) => a - b)
        .map((index) => ({ index, name: this.#names[index] ?? '' }));
      this.#fail(loadTimeout(this.#moduleUrl, stuck, this.#ms));
      return;
    }
    const oldest = Math.min(...this.#loading.values());
    this.#timer = setTimeout(
      () => {
        this.#check();
      },
      Math.max(1, oldest + this.#ms - now),
    );
  }
}
