import net from 'node:net';
import { makingOwnTimer } from '../../internal/real-timers.ts';
import { currentTask } from './task-context.ts';
import type { VirtualTimeout } from './virtual-timers.ts';

/**
 * Socket idle timers on the virtual clock: while an `explore` runs, `socket.setTimeout(ms)`
 * called in a task of a schedule on virtual time (an HTTP agent's keep-alive timeout, a
 * client's request timeout) sets a virtual timer that emits the socket's `'timeout'` when
 * the scheduler fires it, instead of one of Node's internal timers that would fire on the
 * wall clock. Node's own activity tracking still refreshes it (every read and write calls
 * `refresh()` on the socket's timer, which for a virtual one starts its delay again from
 * the current virtual time). Elsewhere the original runs.
 */

// eslint-disable-next-line @typescript-eslint/unbound-method -- called with its socket
const original = net.Socket.prototype.setTimeout;
/** The virtual idle timer of each socket that has one. */
const virtualOf = new WeakMap<net.Socket, VirtualTimeout>();
/** Where Node keeps a socket's idle timer (`_unrefTimer` refreshes what it finds there). */
let timeoutSlot: symbol | null | undefined;

function slot(): symbol | null {
  if (timeoutSlot === undefined) {
    const probe = new net.Socket();
    timeoutSlot =
      Object.getOwnPropertySymbols(probe).find((key) => key.description === 'timeout') ?? null;
    probe.destroy();
  }
  return timeoutSlot;
}

type Slotted = net.Socket & Record<symbol, unknown> & { _onTimeout?: () => void };

function setTimeout(this: net.Socket, msecs: number, callback?: () => void): net.Socket {
  const previous = virtualOf.get(this);
  if (previous !== undefined) {
    previous.clock.clear(previous);
    virtualOf.delete(this);
    const key = slot();
    if (key !== null && (this as Slotted)[key] === previous) (this as Slotted)[key] = null;
  }
  const context = currentTask();
  const clock = context?.scheduler.clock();
  if (context === undefined || clock === undefined || makingOwnTimer()) {
    return Reflect.apply(original, this, [msecs, callback]);
  }
  // The original validates the arguments and clears any real idle timer of the socket.
  Reflect.apply(original, this, [msecs]);
  Reflect.apply(original, this, [0]);
  (this as { timeout: number }).timeout = msecs;
  if (callback !== undefined) {
    if (msecs === 0) this.removeListener('timeout', callback);
    else this.once('timeout', callback);
  }
  if (msecs === 0) return this;
  const socket = this as Slotted;
  const timer = clock.add(
    context.task,
    () => {
      if (socket.destroyed) return;
      if (typeof socket._onTimeout === 'function') socket._onTimeout();
      else socket.emit('timeout');
    },
    msecs,
    [],
    false,
    'socket.setTimeout',
  );
  virtualOf.set(this, timer);
  const key = slot();
  if (key !== null) socket[key] = timer;
  // When the schedule ends, the socket gets a real idle timer back (a pooled socket outlives
  // the schedule); when the socket closes, its virtual timer goes.
  clock.handBack(timer, () => {
    if (virtualOf.get(socket) !== timer) return;
    virtualOf.delete(socket);
    if (key !== null && socket[key] === timer) socket[key] = null;
    if (!socket.destroyed) Reflect.apply(original, socket, [msecs]);
  });
  if (!watched.has(this)) {
    watched.add(this);
    this.once('close', () => {
      const current = virtualOf.get(socket);
      if (current === undefined) return;
      virtualOf.delete(socket);
      current.clock.clear(current);
    });
  }
  return this;
}

/** Sockets whose 'close' already clears their virtual idle timer (one listener each). */
const watched = new WeakSet<net.Socket>();

/** Puts the virtual-aware `setTimeout` on `net.Socket.prototype` (see the module comment). */
export function installSocketTimers(): void {
  net.Socket.prototype.setTimeout = setTimeout;
}

/** Puts the original back. */
export function uninstallSocketTimers(): void {
  net.Socket.prototype.setTimeout = original;
}
