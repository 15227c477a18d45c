/**
 * Runs `advance` each time it is woken, synchronously and never inside itself: a wake during
 * a pass (a chooser, a timer, a task that parks or settles at once) asks for one more pass.
 */
export class Pump {
  readonly #advance: () => void;
  #running = false;
  #again = false;

  constructor(advance: () => void) {
    this.#advance = advance;
  }

  wake(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    try {
      do {
        this.#again = false;
        this.#advance();
      } while (this.#wokenAgain());
    } finally {
      this.#running = false;
    }
  }

  /** Read through a method: `#advance` may have set it. */
  #wokenAgain(): boolean {
    return this.#again;
  }
}
