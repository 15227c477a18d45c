/**
 * Values as short, single-line text for tables and status lines. A class instance shows its
 * fields only when they all fit, else its class name (`Client {…}`: a driver's client would
 * fill the cell); plain objects and arrays show what fits of them (`{ id: 1, name: 'a', … }`),
 * nested as deep as the room allows (three levels at most); long strings are cut. Never throws,
 * and runs no user code but an Error's `name`, `message` and `code` getters: no other getter,
 * no Proxy trap, no custom inspect function.
 */
import { inspect, types } from 'node:util';
import { className, ownString } from './class-name.ts';
import { cutText, withoutCutPairs } from './cut.ts';
import { errorLineOf, errorParts } from './error-parts.ts';

/** Strings nested in an object or array are cut to this many characters. */
const NESTED_STRING = 16;

/** Objects nested deeper than this are drawn as `{…}`, `[…]` or `Name {…}`. */
const MAX_DEPTH = 3;

/** For values util.inspect draws well (dates, maps, buffers, proxies): trap- and getter-free. */
const INSPECT = {
  depth: 0,
  breakLength: Infinity,
  maxArrayLength: 3,
  maxStringLength: NESTED_STRING,
  customInspect: false,
  getters: false,
} as const;

/** `value` in at most `max` characters (cut with `…`). */
export function formatValue(value: unknown, max = 40): string {
  let text: string;
  try {
    text = render(value, max, []);
  } catch {
    text = unprintable(value);
  }
  return clip(text, max);
}

/**
 * The fewest characters that still say what `value` is: a class instance's `Name {…}`, an
 * error's name, the start of a string. What a table cell keeps when room is short.
 */
export function shortWidth(value: unknown): number {
  if (typeof value === 'string') return Math.min(value.length + 2, 10);
  let token: string;
  try {
    token = render(value, SHORT, []);
  } catch {
    token = unprintable(value);
  }
  return Math.min(token.length, 24);
}

/** Below this many characters, an object is drawn as one token: `{…}`, `[…]`, `Name {…}`. */
const SHORT = 4;

/** Cuts `text` to `max` characters, the last one `…`. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${cutText(text, max - 1)}…`;
}

/** `value` in about `max` characters; `parents` are the objects it is nested in. */
function render(value: unknown, max: number, parents: readonly object[]): string {
  switch (typeof value) {
    case 'string':
      return quote(value, parents.length === 0 ? max : Math.min(max, NESTED_STRING + 2));
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${String(value)}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return functionText(value);
    case 'object':
      return value === null ? 'null' : objectText(value, max, parents);
    default:
      return String(value);
  }
}

/** A quoted string of at most `max` characters, cut inside the quotes. */
function quote(text: string, max: number): string {
  const whole = inspect(text, INSPECT_STRING);
  if (whole.length <= max) return whole;
  const cut = inspect(cutText(text, Math.max(1, max - 3)), INSPECT_STRING);
  return `${cut.slice(0, -1)}…${cut.slice(-1)}`;
}

const INSPECT_STRING = { breakLength: Infinity, maxStringLength: Infinity } as const;

function functionText(fn: object): string {
  if (types.isProxy(fn)) return '[Function]';
  const name = ownString(fn, 'name');
  const source = Function.prototype.toString.call(fn);
  if (source.startsWith('class')) return name ? `[class ${name}]` : '[class (anonymous)]';
  return name ? `[Function: ${name}]` : '[Function (anonymous)]';
}

function objectText(value: object, max: number, parents: readonly object[]): string {
  // Proxies first: anything else would run their traps. Node draws the target (an Error's
  // stack included): its first line only.
  if (types.isProxy(value)) return firstLine(withoutCutPairs(inspect(value, INSPECT)));
  // Node's own inspect of a Buffer (`<Buffer 68 69>`) is the readable one.
  if (isBuiltIn(value))
    return withoutCutPairs(inspect(value, { ...INSPECT, customInspect: Buffer.isBuffer(value) }));
  const error = errorParts(value);
  if (error !== undefined) return errorLineOf(error);
  if (parents.includes(value)) return '[Circular]';
  const array = Array.isArray(value);
  const name = array ? undefined : className(value);
  const deeper = [...parents, value];
  if (parents.length >= MAX_DEPTH || max <= SHORT) {
    const token = array
      ? value.length === 0
        ? '[]'
        : '[…]'
      : Reflect.ownKeys(value).length === 0
        ? '{}'
        : '{…}';
    return name === undefined ? token : `${name} ${token}`;
  }
  if (array) return list('[', arrayItems(value, deeper), ']', max);
  const fields = list('{', objectItems(value, deeper), '}', max - (name === undefined ? 0 : 1));
  if (name === undefined) return fields;
  // A class instance shows its fields only when they all fit; a driver's client never does.
  const cut = fields === '{…}' || fields.endsWith(', … }');
  return cut || `${name} ${fields}`.length > max ? `${name} {…}` : `${name} ${fields}`;
}

function isBuiltIn(value: object): boolean {
  return (
    types.isDate(value) ||
    types.isRegExp(value) ||
    types.isMap(value) ||
    types.isSet(value) ||
    types.isWeakMap(value) ||
    types.isWeakSet(value) ||
    types.isPromise(value) ||
    types.isTypedArray(value) ||
    types.isAnyArrayBuffer(value) ||
    types.isDataView(value) ||
    types.isBoxedPrimitive(value) ||
    types.isModuleNamespaceObject(value)
  );
}

/** An item of a list, drawn in at most about `room` characters. */
type Item = (room: number) => string;

/** The items of an array, lazily (an array may be long). */
function* arrayItems(array: readonly unknown[], parents: readonly object[]): Iterable<Item> {
  for (let i = 0; i < array.length; i++) {
    const desc = Object.getOwnPropertyDescriptor(array, i);
    yield (room) => (desc === undefined ? '<empty>' : descriptorText(desc, room, parents));
  }
}

/** `key: value` for each own enumerable property, symbols included; getters are not called. */
function* objectItems(value: object, parents: readonly object[]): Iterable<Item> {
  for (const key of Reflect.ownKeys(value)) {
    const desc = Object.getOwnPropertyDescriptor(value, key);
    if (!desc?.enumerable) continue;
    const prefix = `${keyText(key)}: `;
    yield (room) => prefix + descriptorText(desc, room - prefix.length, parents);
  }
}

/** `{ a, b, … }` within `max` characters: as many items as fit, then `…`. */
function list(open: string, items: Iterable<Item>, close: string, max: number): string {
  const iterator = items[Symbol.iterator]();
  const shown: string[] = [];
  let length = open.length + close.length + 2;
  for (let next = iterator.next(); !next.done;) {
    const item = next.value;
    next = iterator.next();
    const separator = shown.length === 0 ? 0 : 2;
    const more = next.done ? 0 : 3; // room for `, …` should this not be the last item
    const room = max - length - separator - more;
    const part = item(room);
    if (part.length > room) {
      shown.push('…');
      break;
    }
    shown.push(part);
    length += separator + part.length;
  }
  if (shown.length === 0) return `${open}${close}`;
  return shown.length === 1 && shown[0] === '…'
    ? `${open}…${close}`
    : `${open} ${shown.join(', ')} ${close}`;
}

function descriptorText(desc: PropertyDescriptor, room: number, parents: readonly object[]) {
  if ('value' in desc) return render(desc.value, room, parents);
  if (desc.get && desc.set) return '[Getter/Setter]';
  return desc.get ? '[Getter]' : '[Setter]';
}

function keyText(key: string | symbol): string {
  if (typeof key === 'symbol') return `[${key.toString()}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key, NESTED_STRING + 2);
}

function unprintable(value: unknown): string {
  try {
    return firstLine(withoutCutPairs(inspect(value, INSPECT)));
  } catch {
    return `[unprintable ${typeof value}]`;
  }
}

/** The first line of `text`, with `…` when more lines follow. */
function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end === -1 ? text : `${text.slice(0, end)} …`;
}
