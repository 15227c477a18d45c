/**
 * Cutting text for messages at a code point boundary: a string is cut by UTF-16 code units,
 * and a cut between the two halves of a surrogate pair (an emoji, most CJK extension
 * characters) would leave a lone surrogate, which prints as `\ud83d` or as `�`.
 */

/** The first `end` code units of `text`, one fewer if the last would be half of a pair. */
export function cutText(text: string, end: number): string {
  if (end >= text.length) return text;
  if (end <= 0) return '';
  const last = text.charCodeAt(end - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, end - 1) : text.slice(0, end);
}

/**
 * `util.inspect` cuts a long string at `maxStringLength` code units, which may halve a pair:
 * it then ends the string with an escaped high surrogate (`'ab\ud83d'... 3 more characters`).
 * This leaves that half out (and counts it with the characters not shown).
 */
export function withoutCutPairs(inspected: string): string {
  return inspected.replace(
    /\\u(?:d[89ab][0-9a-f]{2})(['"`])\.\.\. (\d+) more characters?/gi,
    (_match, quote: string, more: string) => `${quote}... ${Number(more) + 1} more characters`,
  );
}
