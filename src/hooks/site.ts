import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureStackTrace } from '../internal/intrinsics.ts';

/**
 * Where a hook was created, for the messages about it: one stack frame, captured when the
 * hook is made and formatted only if a message needs it.
 */
export interface Site {
  /** Set by `Error.captureStackTrace`; reading it formats the frame (and applies source maps). */
  readonly stack?: string;
}

/**
 * Captures the frame that called `api` (the public `before`/`after`). It costs a few µs (2-4
 * measured; a hook costs about 0.6 µs to make and restore without it), so it is taken only for
 * hooks that may be reported. Limiting the trace to one frame keeps the cost independent of the
 * stack's depth. Returns undefined where stack traces cannot be captured or limited.
 */
export function captureSite(api: Function): Site | undefined {
  const limit = Error.stackTraceLimit;
  try {
    // One frame: the caller of `api`, whatever the limit (and the depth of the stack).
    Error.stackTraceLimit = 1;
    const site: Site = {};
    captureStackTrace(site, api);
    return site;
  } catch {
    return undefined; // e.g. frozen intrinsics
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * `test/coupon.test.ts:12:9`: the frame's location, relative to the working directory, or
 * undefined when none was captured.
 */
export function formatSite(site: Site | undefined): string | undefined {
  const line = site?.stack?.split('\n')[1]?.trim();
  if (!line?.startsWith('at ')) return undefined;
  const frame = line.slice(3);
  // `at fn (location)` or `at location`.
  const location = frame.endsWith(')') ? frame.slice(frame.lastIndexOf('(') + 1, -1) : frame;
  const path = location.startsWith('file://') ? fromUrl(location) : location;
  const cwd = `${process.cwd()}${sep}`;
  return path.startsWith(cwd) ? path.slice(cwd.length) : path;
}

/** `file:///a/b.ts:3:4` as `/a/b.ts:3:4`. */
function fromUrl(location: string): string {
  const position = /(:\d+)*$/.exec(location)?.[0] ?? '';
  try {
    return fileURLToPath(location.slice(0, location.length - position.length)) + position;
  } catch {
    return location;
  }
}
