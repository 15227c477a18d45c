/**
 * A box with a fixed capacity. `Box` lets callers check and then add in two steps, the
 * classic check-then-act race; `SafeBox` makes the check and the add one step.
 */
export class Box {
  readonly maxCapacity: number;
  protected readonly contents: string[] = [];

  constructor(maxCapacity: number) {
    this.maxCapacity = maxCapacity;
  }

  hasCapacity(): boolean {
    return this.contents.length < this.maxCapacity;
  }

  addItem(item: string): void {
    this.contents.push(item);
  }

  items(): string[] {
    return [...this.contents];
  }
}

/** The fix: checking and adding happen in one step, so no other task can slip in between. */
export class SafeBox extends Box {
  /** Adds `item` if there is room; returns whether it did. */
  tryAdd(item: string): boolean {
    if (!this.hasCapacity()) return false;
    this.addItem(item);
    return true;
  }
}
