/**
 * What a thrown value says in interleave's messages, whatever was thrown: an Error is
 * `Name: message`, or `Name [code]: message` when it has a code (Node's own form); anything
 * else is `thrown value …` and the value drawn short. None of these throws, runs a Proxy's
 * traps, or lets a throwing getter through (see `error-parts.ts`); none follows `cause`, so a
 * cyclic cause is harmless.
 */
import { inspect } from 'node:util';
import { errorHead, errorLineOf, errorParts, hasProperty, readProperty } from './error-parts.ts';
import { formatValue } from './format-value.ts';

/**
 * One line: an Error's name, code and the first line of its message; for a status line or a
 * headline, e.g. `Error: boom`, `Error [ERR_X]: boom`, `thrown value { id: 1 }`.
 */
export function errorLine(thrown: unknown): string {
  const parts = errorParts(thrown);
  return parts === undefined ? thrownValue(thrown) : errorLineOf(parts);
}

/**
 * The whole message, all its lines (assertion messages are multi-line, and the diff is the
 * useful part): `Name [code]: message`, or `thrown value …` for a non-Error.
 */
export function errorText(thrown: unknown): string {
  const parts = errorParts(thrown);
  return parts === undefined ? thrownValue(thrown) : errorLineOf(parts, { whole: true });
}

/**
 * What kind of failure this is, to tell whether two runs failed the same way: `Name [code]`
 * for an Error (the message may hold values that differ between runs), `typeof` for anything
 * else (a Proxy included).
 */
export function errorKind(thrown: unknown): string {
  const parts = errorParts(thrown);
  return parts === undefined ? typeof thrown : errorHead(parts);
}

/**
 * {@link errorText}, and below it what a test runner would draw from the error's fields: a
 * database driver's `detail` (who waited for whom), and an assertion's `expected` and
 * `actual` when its message does not show them already (it is one line).
 */
export function causeText(thrown: unknown): string {
  const parts = errorParts(thrown);
  if (parts === undefined) return thrownValue(thrown);
  const error = thrown as object;
  const lines = [errorLineOf(parts, { whole: true })];
  const detail = readProperty(error, 'detail');
  if (typeof detail === 'string') lines.push(detail);
  const diff = hasProperty(error, 'expected') && hasProperty(error, 'actual');
  if (diff && !parts.message.includes('\n')) {
    lines.push(
      `expected: ${inspectSafely(readProperty(error, 'expected'))}`,
      `actual:   ${inspectSafely(readProperty(error, 'actual'))}`,
    );
  }
  return lines.join('\n');
}

/** A non-Error: said so, and drawn on one line. */
function thrownValue(thrown: unknown): string {
  return `thrown value ${formatValue(thrown, 80)}`;
}

const INSPECT = { depth: 4, breakLength: 100, maxArrayLength: 20, maxStringLength: 200 };

/** `inspect`, as a diff of expected and actual would show them; a value it cannot draw, short. */
function inspectSafely(value: unknown): string {
  try {
    return inspect(value, INSPECT);
  } catch {
    return formatValue(value, 200);
  }
}
