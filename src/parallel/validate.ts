import { BARRIER_TIMEOUT } from '../internal/defaults.ts';
import { describeValue } from '../internal/describe.ts';
import { validateDuration } from '../internal/duration.ts';

/** Options of a parallel run after validation. */
export interface ValidRunOptions {
  timeout: number;
  settle: boolean;
}

/**
 * Checks `options` of `api` against the allowed names; every failure is a `TypeError` that
 * names the option, what was expected and what was received.
 */
export function validateRunOptions(
  api: string,
  options: unknown,
  allowed: readonly string[],
): Record<string, unknown> & ValidRunOptions {
  if (options === undefined) return { timeout: BARRIER_TIMEOUT, settle: false };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(
      `Expected the options of ${api}() to be an object such as { timeout: 1000 }, got ${describeValue(options)}.`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(
        `Unknown option \`${key}\` in the options of ${api}(): expected only ${allowed.map((o) => `\`${o}\``).join(', ')}. Check the spelling.`,
      );
    }
  }
  const record = options as Record<string, unknown>;
  const { settle = false } = record;
  const timeout = validateDuration(record.timeout, {
    name: `\`options.timeout\` of ${api}()`,
    meaning: 'how long one barrier wait may take',
    fallback: BARRIER_TIMEOUT,
  });
  if (typeof settle !== 'boolean') {
    throw new TypeError(
      `Expected \`options.settle\` of ${api}() to be a boolean, got ${describeValue(settle)}.`,
    );
  }
  return { ...record, timeout, settle };
}

/** Checks that `label` of `runner.await(label)` is a string or undefined. */
export function validateLabel(api: string, label: unknown): string | undefined {
  if (label === undefined || typeof label === 'string') return label;
  throw new TypeError(
    `Expected \`label\` of ${api}(label) to be a string (or nothing), got ${describeValue(label)}. Labels name the point each task has reached, e.g. runner.await('read').`,
  );
}
