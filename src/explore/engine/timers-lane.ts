import type { TaskSlots, Waiter } from './task-slots.ts';
import { type VirtualTimeout, VirtualTimers } from './virtual-timers.ts';

/** What the timers' lane needs of its schedule (`ScheduleRun`). */
export interface LaneHost {
  readonly slots: TaskSlots;
  /** The schedule has let its tasks go: no timer is offered any more. */
  released(): boolean;
  /** Something moved: the schedule takes another pass. */
  wake(): void;
  /** How many steps the schedule has taken (the step a firing belongs to). */
  steps(): number;
  /** The step `step` of `lane` ended when the timer it fired returned (unless it had ended). */
  ranOut(lane: number, step: number): void;
  /** A timer of `task` threw: as an uncaught exception, it fails the schedule. */
  threw(task: number, error: unknown): void;
}

/**
 * The timers' lane of one schedule on virtual time: its clock (`VirtualTimers`), and the one
 * point it offers, the timer due first, in a slot after the tasks (`TaskSlots.addTimersLane`,
 * added with the first timer). Granting the point fires that timer on a microtask (it runs
 * the task's code, which must not run inside the scheduler's pass); the step ends when the
 * callback returns. Made with a schedule's first timer: schedules without timers pay nothing.
 */
export class TimersLane {
  readonly clock: VirtualTimers;
  /** The timer due first, offered to the lane. */
  head: VirtualTimeout | undefined;
  #lane: number | undefined;
  #offered: Waiter | undefined;

  constructor(private readonly host: LaneHost) {
    this.clock = new VirtualTimers((head) => {
      this.#offer(head);
    });
  }

  /** The timer due first changed: withdraw the old point, offer the new one. */
  #offer(head: VirtualTimeout | undefined): void {
    const { slots } = this.host;
    this.head = head;
    if (this.#offered !== undefined && this.#lane !== undefined) {
      slots.withdraw(this.#lane, this.#offered);
      this.#offered = undefined;
    }
    if (head === undefined || this.host.released()) return;
    const lane = (this.#lane ??= slots.addTimersLane());
    const label = `${head.label} of task ${String(head.task)}`;
    this.#offered = slots.offer(lane, { label }, () => {
      this.#offered = undefined;
      void Promise.resolve().then(() => {
        this.#fire(head, lane);
      });
    });
    this.host.wake();
  }

  #fire(timer: VirtualTimeout, lane: number): void {
    const step = this.host.steps();
    try {
      timer.clock.fire(timer);
    } catch (error) {
      this.host.threw(timer.task, error);
    } finally {
      this.host.ranOut(lane, step);
    }
  }
}
