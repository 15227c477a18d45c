import jsTokens from 'js-tokens';

/**
 * An inline source map that maps the instrumented module onto its own file, position for
 * position: with `--enable-source-maps`, Node then prints the original line of an error
 * (`export const f = ...`) rather than the rewritten one (`export let   f = ...`), and reads it
 * from the file. Positions do not move (the rewrite keeps lengths), but a source map gives
 * the position of a mapped point only, so every token start is one: a stack frame's column
 * is always at a token.
 *
 * Only for modules whose text the loader changed and that have no source map of their own
 * (a TS loader's output maps to the TypeScript source: that map is left to say so).
 */
export function identitySourceMap(code: string, url: string): string {
  const map = { version: 3, sources: [url], names: [], mappings: identityMappings(code) };
  const base64 = Buffer.from(JSON.stringify(map)).toString('base64');
  return `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${base64}`;
}

/** Whether `code` names a source map of its own. */
export function hasSourceMap(code: string): boolean {
  return /^[ \t]*\/\/[#@][ \t]+sourceMappingURL=/m.test(code);
}

/** One segment per token start: generated line and column equal the original ones. */
function identityMappings(code: string): string {
  const lines: string[] = [];
  let segments: string[] = [];
  let column = 0;
  // Source map fields are relative to the previous segment (the column only within a line).
  let previousColumn = 0;
  let previousLine = 0;
  let previousOriginalColumn = 0;
  for (const token of jsTokens(code)) {
    if (token.type !== 'WhiteSpace' && token.type !== 'LineTerminatorSequence') {
      const line = lines.length;
      segments.push(
        vlq(column - previousColumn) +
          'A' +
          vlq(line - previousLine) +
          vlq(column - previousOriginalColumn),
      );
      previousColumn = column;
      previousLine = line;
      previousOriginalColumn = column;
    }
    // A line break, and the tokens that may span lines: comments, strings, templates.
    const parts = MULTI_LINE.has(token.type) ? token.value.split(LINE_BREAK) : [token.value];
    for (let i = 1; i < parts.length; i++) {
      lines.push(segments.join(','));
      segments = [];
      column = 0;
      previousColumn = 0;
    }
    column += (parts[parts.length - 1] ?? '').length;
  }
  lines.push(segments.join(','));
  return lines.join(';');
}

const MULTI_LINE = new Set([
  'LineTerminatorSequence',
  'MultiLineComment',
  'StringLiteral',
  'NoSubstitutionTemplate',
  'TemplateHead',
  'TemplateMiddle',
  'TemplateTail',
]);

/** ECMAScript's line terminators, as V8 counts lines. */
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** `value` as a source map's base64 VLQ. */
function vlq(value: number): string {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let text = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    text += BASE64[digit] ?? '';
  } while (rest > 0);
  return text;
}
