import { InterleaveError } from '../errors.ts';

/** The callbacks of `explore`'s spec that run once per schedule, around the tasks. */
export type SpecCallback = 'setup' | 'points' | 'check' | 'teardown';

const WHY: Record<SpecCallback, string> = {
  setup:
    'It may be waiting for a connection, a server or a lock that never comes: check what it ' +
    'awaits (a pool that is full, a server that was not started, a previous schedule that ' +
    'still holds a lock).',
  points:
    '`points` should only install scheduling points (yieldAt calls); it rarely needs to await ' +
    'anything, and what it awaits never settled.',
  check:
    '`check` runs once every task has finished; it may be waiting for something a task left ' +
    'unfinished in this schedule (a lock not released, a request never answered): the trace ' +
    'shows this schedule.',
  teardown:
    'It may be waiting for something a task still holds (an open transaction of a task that ' +
    'was abandoned, a pooled client that was not released), or for a server that does not ' +
    'close while connections stay open.',
};

/** The error of a spec callback that did not settle within `callbackTimeout`. */
export function callbackTimeoutError(
  callback: SpecCallback,
  fn: Function,
  ms: number,
): InterleaveError {
  const named = typeof fn.name === 'string' && fn.name !== '' && fn.name !== callback;
  return new InterleaveError(
    'ERR_CALLBACK_TIMEOUT',
    `explore()'s \`${callback}\`${named ? ` (function ${fn.name})` : ''} returned a promise ` +
      `that did not settle within ${ms} ms, so ${callback === 'check' ? 'the schedule fails' : 'explore stops'} ` +
      `with this error instead of waiting forever. ${WHY[callback]} If it is only slow, raise \`callbackTimeout\` (now ` +
      `${ms} ms).`,
  );
}
