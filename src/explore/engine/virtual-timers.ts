import { AsyncResource } from 'node:async_hooks';

/**
 * The controlled clock of one schedule (`time: 'virtual'`, the default): the timers a task
 * makes while its schedule runs (`setTimeout`, `setInterval`, `node:timers/promises`'
 * `setTimeout`) wait here instead of on the wall clock. They fire in due-time order (equal due
 * times in the order they were made), one at a time, when the scheduler grants the next one:
 * it is a scheduling point of the task that made the timer (`setTimeout 30000 ms`), so its
 * place among the tasks' steps is explored, and a 30 s lease costs nothing. Firing a timer
 * moves virtual time to its due time.
 *
 * A queue of our own rather than `@sinonjs/fake-timers`: the scheduler must know which timer
 * fires next and which task made it, before firing it, and that library keeps its queue to
 * itself (it offers `next()`, not a look at what `next()` would fire).
 */

/** One timer on the virtual clock; what `setTimeout` returned to the task, as Node's does. */
export class VirtualTimeout {
  /** When it fires, in virtual milliseconds. */
  due: number;
  /** Ties on `due` fire in this order (creation, or the last refresh). */
  order: number;
  active = true;
  #ref = true;

  constructor(
    readonly clock: VirtualTimers,
    readonly task: number,
    readonly id: number,
    readonly delay: number,
    readonly repeat: boolean,
    readonly callback: () => void,
    /** What made it, for the label: `setTimeout`, `setInterval`, `socket.setTimeout`. */
    readonly kind: string,
  ) {
    this.due = clock.now + delay;
    this.order = id;
  }

  /** `setTimeout 100 ms`, `setInterval 5000 ms`: the point's label in the trace. */
  get label(): string {
    return `${this.kind} ${String(this.delay)} ms`;
  }

  ref(): this {
    this.#ref = true;
    return this;
  }

  unref(): this {
    this.#ref = false;
    return this;
  }

  hasRef(): boolean {
    return this.#ref;
  }

  /** Starts the delay again from the current virtual time, as Node's `refresh()` does. */
  refresh(): this {
    if (this.active) this.clock.reschedule(this);
    else if (this.real !== undefined) this.real.refresh();
    // Node re-arms a timer refreshed after it fired (a socket's idle timer on new activity).
    else if (this.fired) this.clock.revive(this);
    return this;
  }

  /** It fired (a one-shot timer); `refresh()` arms it again, as Node's. */
  fired = false;

  /**
   * What becomes of it when its schedule ends or lets its tasks go, pending or fired, unless
   * it was cleared: instead of being dropped or put on a real timer (a socket's idle timer
   * goes back to the socket's own). Set with `VirtualTimers.handBack`.
   */
  toReal: (() => void) | undefined;

  /** The real timer it became when its schedule let its tasks go (see `releaseAll`). */
  real: ReturnType<typeof setTimeout> | undefined;

  close(): this {
    this.clock.clear(this);
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.id;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Every pending virtual timer, by id: what `clearTimeout(id)` is looked up in. The ids start
 * above those Node gives real timers, so that a number finds the right kind of timer.
 */
const byId = new Map<number, VirtualTimeout>();
let nextId = 2 ** 30;

/** The pending virtual timer with this id, if any (`clearTimeout` given a number). */
export function virtualTimerById(id: number): VirtualTimeout | undefined {
  return byId.get(id);
}

/** Told whenever the timer that fires next changes (a timer made, cleared or fired). */
export type HeadListener = (head: VirtualTimeout | undefined) => void;

/** A schedule's virtual clock and its pending timers (see the module comment). */
export class VirtualTimers {
  now = 0;
  readonly #pending: VirtualTimeout[] = [];
  /** Timers with a `toReal`, fired or pending, not cleared. */
  readonly #handedBack = new Set<VirtualTimeout>();
  /** The schedule has ended or let its tasks go: no timer is armed here any more. */
  #closed = false;
  #head: VirtualTimeout | undefined;

  constructor(private readonly onHead: HeadListener) {}

  /** A timer of `task` that calls `callback(...args)` after `delay` virtual ms. */
  add(
    task: number,
    callback: Function,
    delay: unknown,
    args: unknown[],
    repeat: boolean,
    kind = repeat ? 'setInterval' : 'setTimeout',
  ): VirtualTimeout {
    // The task's async context, whatever context the scheduler fires it from; `this` is the
    // timer, as Node calls timer callbacks.
    const bound = AsyncResource.bind((): void => {
      Reflect.apply(callback, timer, args);
    });
    const id = nextId++;
    const timer = new VirtualTimeout(this, task, id, normalDelay(delay), repeat, bound, kind);
    this.#pending.push(timer);
    byId.set(id, timer);
    this.#update();
    return timer;
  }

  clear(timer: VirtualTimeout): void {
    this.#handedBack.delete(timer);
    if (timer.real !== undefined) {
      clearTimeout(timer.real);
      timer.real = undefined;
      byId.delete(timer.id);
    }
    if (!timer.active) return;
    timer.active = false;
    this.#pending.splice(this.#pending.indexOf(timer), 1);
    byId.delete(timer.id);
    this.#update();
  }

  /** Gives `timer` a `toReal`, run when the schedule ends or lets its tasks go. */
  handBack(timer: VirtualTimeout, toReal: () => void): void {
    timer.toReal = toReal;
    this.#handedBack.add(timer);
  }

  /** Arms again a one-shot timer that fired, while the schedule still runs. */
  revive(timer: VirtualTimeout): void {
    if (this.#closed) return;
    timer.fired = false;
    timer.active = true;
    timer.due = this.now + timer.delay;
    timer.order = nextId++;
    this.#pending.push(timer);
    byId.set(timer.id, timer);
    this.#update();
  }

  reschedule(timer: VirtualTimeout): void {
    timer.due = this.now + timer.delay;
    timer.order = nextId++;
    this.#update();
  }

  /** Fires `timer` (the head, granted by the scheduler): time moves to its due time. */
  fire(timer: VirtualTimeout): void {
    if (!timer.active) return;
    if (timer.due > this.now) this.now = timer.due;
    if (timer.repeat) {
      timer.due = this.now + timer.delay;
      timer.order = nextId++;
    } else {
      timer.active = false;
      timer.fired = true;
      this.#pending.splice(this.#pending.indexOf(timer), 1);
      byId.delete(timer.id);
    }
    // Its point was used up by this grant: the next head, even the same interval, is new.
    this.#head = undefined;
    this.#update();
    timer.callback();
  }

  /** The schedule is over: every pending timer is dropped (the real clock is back). */
  /**
   * The schedule failed and lets its tasks run freely: every pending timer goes on the real
   * clock with what is left of its delay, so that a task waiting on one can still settle.
   */
  releaseAll(): void {
    this.#closed = true;
    this.#handBackAll();
    for (const timer of this.#pending) {
      timer.active = false;
      if (timer.toReal !== undefined) {
        byId.delete(timer.id);
        continue;
      }
      const left = Math.max(0, timer.due - this.now);
      const callback = timer.callback;
      timer.real = timer.repeat
        ? setInterval(callback, Math.max(1, timer.delay))
        : setTimeout(() => {
            timer.real = undefined;
            byId.delete(timer.id);
            callback();
          }, left);
    }
    this.#pending.length = 0;
    this.#update();
  }

  dropAll(): void {
    this.#closed = true;
    this.#handBackAll();
    for (const timer of this.#pending) {
      timer.active = false;
      byId.delete(timer.id);
    }
    this.#pending.length = 0;
    this.#update();
  }

  #handBackAll(): void {
    for (const timer of this.#handedBack) timer.toReal?.();
    this.#handedBack.clear();
  }

  /** Tells the listener when the timer due first is another than before. */
  #update(): void {
    let head: VirtualTimeout | undefined;
    for (const timer of this.#pending) {
      if (
        head === undefined ||
        timer.due < head.due ||
        (timer.due === head.due && timer.order < head.order)
      ) {
        head = timer;
      }
    }
    if (head === this.#head) return;
    this.#head = head;
    this.onHead(head);
  }
}

/** A delay as Node reads it: a number of ms, at least 1; anything else is 1. */
function normalDelay(delay: unknown): number {
  const ms = Number(delay);
  if (!Number.isFinite(ms) || ms < 1 || ms > 2 ** 31 - 1) return 1;
  return Math.floor(ms);
}
