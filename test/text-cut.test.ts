/**
 * Messages cut long strings at code point boundaries (issue #14, item 12): an emoji (two
 * UTF-16 code units) where a string is cut is kept whole or left out, never halved into a
 * lone surrogate (which prints as `\ud83d` or as a replacement character).
 */
import { describe, expect, it } from 'vitest';
import { after, ArgumentError, runInParallel, type TraceStep } from 'interleave';
import { formatValue } from '../src/internal/format-value.ts';
import { formatTraceTable } from '../src/trace/table.ts';

const EMOJI = '😀';

/**
 * A lone surrogate, raw or escaped (`\ud83d`, as JSON.stringify and util.inspect write it), or
 * an escape cut short (`\u…`).
 */
const HALF =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\\u[dD][89a-fA-F]|\\u(?![0-9a-fA-F]{4})/;

/** `length` characters of `x` with an emoji (two code units) starting at `at`. */
function withEmojiAt(at: number, length = 120): string {
  return 'x'.repeat(at) + EMOJI + 'y'.repeat(length - at - 2);
}

function argumentMessage(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    if (error instanceof ArgumentError) return error.message;
    throw error;
  }
  throw new Error('expected an ArgumentError');
}

describe('argument errors', () => {
  it('a long string received, with an emoji where it is cut', () => {
    const message = argumentMessage(() =>
      after({ method() {} }, 'method', withEmojiAt(36) as never),
    );

    expect(message).not.toMatch(HALF);
    expect(message).toMatchInlineSnapshot(
      `"Expected \`hook\` (the third argument of after(target, 'method', hook)) to be a function, got a string ("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."). Pass the code to run, e.g. () => increment()."`,
    );
  });

  it('an error received, whose message has an emoji where it is cut', () => {
    const message = argumentMessage(() => runInParallel(new Error(withEmojiAt(76)) as never));

    expect(message).not.toMatch(HALF);
    expect(message).toMatchInlineSnapshot(
      `"Expected task 0 of runInParallel() to be a function (runner) => ..., got an error (Error: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...)."`,
    );
  });
});

describe('formatValue', () => {
  it('cuts a string at any width without halving the emoji', () => {
    for (let max = 4; max <= 50; max++) {
      for (const at of [max - 4, max - 3, max - 2, max - 1]) {
        const text = formatValue(withEmojiAt(Math.max(0, at)), max);
        expect(text, `max ${max}, emoji at ${at}`).not.toMatch(HALF);
        expect(text.length).toBeLessThanOrEqual(max);
      }
    }
  });

  it('a string nested in an object, and in a Map (drawn by util.inspect)', () => {
    for (let at = 0; at < 20; at++) {
      const value = withEmojiAt(at, 40);
      expect(formatValue({ value }, 60), `object, emoji at ${at}`).not.toMatch(HALF);
      expect(formatValue(new Map([['k', value]]), 80), `Map, emoji at ${at}`).not.toMatch(HALF);
    }
    expect(formatValue({ value: withEmojiAt(13, 40) }, 60)).toMatchInlineSnapshot(
      `"{ value: 'xxxxxxxxxxxxx😀…' }"`,
    );
    expect(formatValue(new Map([['k', withEmojiAt(15, 40)]]), 80)).toMatchInlineSnapshot(
      `"Map(1) { 'k' => 'xxxxxxxxxxxxxxx'... 25 more characters }"`,
    );
  });

  it('a value drawn as a whole, then cut', () => {
    for (let max = 10; max < 30; max++) {
      const text = formatValue([EMOJI.repeat(40)], max);
      expect(text, `max ${max}`).not.toMatch(HALF);
    }
  });
});

describe('the trace table', () => {
  it('cuts a cell without halving an emoji', () => {
    const step: TraceStep = {
      step: 1,
      task: 0,
      label: 'start',
      preempted: false,
      blocked: false,
      end: 'finished',
    };
    // One task: its column is 110 wide, so a longer header is cut after 109 characters, 101
    // of them after `task 0 (`.
    for (let at = 95; at < 105; at++) {
      const table = formatTraceTable([step], [withEmojiAt(at, 200)]);
      expect(table, `emoji at ${at}`).not.toMatch(HALF);
    }
  });
});
