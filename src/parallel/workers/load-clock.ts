import { loadTimeout } from './load-errors.ts';
import { BEAT_MS } from './protocol.ts';

/**
 * Catches a thread of `runInWorkers` that blocks while it loads the task module: a top-level
 * `Atomics.wait` or endless loop stops its event loop for good. While it loads, each thread
 * bumps its cell of `beats` from a timer (`BEAT_MS`), which only runs when its event loop
 * turns; a thread whose cell has not moved for `ms` (`taskTimeout`) ms fails the run's start
 * with `ERR_TASK_MODULE_LOAD`. A thread that loads slowly but is not blocked (tsx compiling a
 * TypeScript module in a cold thread, with many threads on a loaded machine: seconds) keeps
 * beating and is never cut short; one whose top-level await never settles is caught by the
 * thread itself when it runs out of work. The clock starts when a thread begins to import the
 * module: Node starting the thread and interleave's own loader are not counted.
 */
export class LoadClock {
  readonly #moduleUrl: string;
  readonly #names: readonly string[];
  readonly #ms: number;
  readonly #beats: Int32Array;
  readonly #fail: (error: unknown) => void;
  /** The threads still loading: the last beat seen of each, and when it changed. */
  readonly #loading = new Map<number, { beat: number; since: number }>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    site: { readonly moduleUrl: string; readonly names: readonly string[] },
    ms: number,
    beats: Int32Array,
    fail: (error: unknown) => void,
  ) {
    this.#moduleUrl = site.moduleUrl;
    this.#names = site.names;
    this.#ms = ms;
    this.#beats = beats;
    this.#fail = fail;
  }

  /** Thread `index` began to import the module. */
  begin(index: number): void {
    if (this.#stopped || this.#ms === Infinity) return;
    const beat = Atomics.load(this.#beats, index);
    this.#loading.set(index, { beat, since: performance.now() });
    const every = Math.max(1, Math.min(BEAT_MS, Math.floor(this.#ms / 4)));
    this.#timer ??= setInterval(() => {
      this.#check();
    }, every);
  }

  /** Thread `index` loaded it. */
  end(index: number): void {
    this.#loading.delete(index);
  }

  /** The run started or failed: no clock stays behind. */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
  }

  /** Fails the start if a loading thread has not beaten for `ms`. */
  #check(): void {
    const now = performance.now();
    const blocked: number[] = [];
    for (const [index, seen] of this.#loading) {
      const beat = Atomics.load(this.#beats, index);
      if (beat !== seen.beat) this.#loading.set(index, { beat, since: now });
      else if (now - seen.since >= this.#ms) blocked.push(index);
    }
    if (blocked.length === 0) return;
    this.stop();
    const stuck = blocked
      .sort((a, b) => a - b)
      .map((index) => ({ index, name: this.#names[index] ?? '' }));
    this.#fail(loadTimeout(this.#moduleUrl, stuck, this.#ms));
  }
}
