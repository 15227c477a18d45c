/**
 * Helpers for the tests of hook messages and warnings.
 */

/**
 * The message of `error` with the line and column of every `.ts` location replaced, so that
 * an inline snapshot of a message that says where a hook was created survives edits above it.
 */
export function withoutLines(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\.ts:\d+:\d+/g, '.ts:<line>:<column>');
}

/** Process warnings seen while `captureWarnings()` was on (Node's printing is off meanwhile). */
export interface CapturedWarnings {
  readonly warnings: Error[];
  /** Puts Node's own listeners back. */
  stop(): void;
}

/**
 * Collects process warnings instead of printing them: removes the `warning` listeners (Node's
 * printer) until `stop()`, so that tests of a warning keep the test output clean.
 */
export function captureWarnings(): CapturedWarnings {
  const previous = process.listeners('warning');
  const warnings: Error[] = [];
  const collect = (warning: Error) => warnings.push(warning);
  process.removeAllListeners('warning');
  process.on('warning', collect);
  return {
    warnings,
    stop() {
      process.off('warning', collect);
      for (const listener of previous) process.on('warning', listener);
    },
  };
}

/**
 * Resolves once the warnings emitted so far were delivered: `process.emitWarning` emits on
 * `process.nextTick`, which runs before the next turn of the event loop.
 */
export function warningsDelivered(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
