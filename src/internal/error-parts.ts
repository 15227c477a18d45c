/**
 * What an Error is made of, read so that no thrown value can break the message about it: a
 * Proxy is never asked anything (its traps never run, a revoked one never throws), and a
 * throwing `name`, `message` or `code` getter only loses that part. The texts of errors
 * (`error-text.ts`, and `format-value.ts` for a table cell) are built from these parts.
 */
import { types } from 'node:util';
import { className, inheritsFrom, prototypeOf } from './class-name.ts';
import { cutText } from './cut.ts';

/** The parts of an Error that its texts show. */
export interface ErrorParts {
  /** `name` if it is a non-empty string, else the class name, else `Error`. */
  readonly name: string;
  /** `code` when it is a string or a number (Node's `ERR_…`, a driver's SQLSTATE or errno). */
  readonly code: string | number | undefined;
  /** `message` as text: a number or a symbol is written out, anything else missing is `''`. */
  readonly message: string;
}

/**
 * The parts of `value` if it is an Error (an instance of `Error`, also from another realm,
 * or an object made by an error constructor); undefined for anything else, a Proxy included
 * (it is drawn as a value). Never throws.
 */
export function errorParts(value: unknown): ErrorParts | undefined {
  if (!isError(value)) return undefined;
  const name = readProperty(value, 'name');
  const code = readProperty(value, 'code');
  return {
    name: typeof name === 'string' && name !== '' ? name : (className(value) ?? 'Error'),
    code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
    message: messageText(readProperty(value, 'message')),
  };
}

/** `Name` or `Name [code]`: what kind of error it is. */
export function errorHead(parts: ErrorParts): string {
  return parts.code === undefined ? parts.name : `${parts.name} [${String(parts.code)}]`;
}

/**
 * `Name [code]: message`, on one line (the message's first line that is not blank, cut at
 * `max` characters with `...`) or `whole` (every line of the message). Without a message,
 * `Name [code]` alone.
 */
export function errorLineOf(
  parts: ErrorParts,
  options: { readonly whole?: boolean; readonly max?: number } = {},
): string {
  const { whole = false, max = Infinity } = options;
  let message = whole ? parts.message : firstLine(parts.message);
  if (message.length > max) message = `${cutText(message, max - 3)}...`;
  return message === '' ? errorHead(parts) : `${errorHead(parts)}: ${message}`;
}

/**
 * `target[key]` as a property read would give it, but without running a Proxy's trap (a Proxy
 * on the prototype chain reads as undefined) and without letting a getter throw (undefined).
 */
export function readProperty(target: object, key: PropertyKey): unknown {
  const desc = lookup(target, key);
  if (desc === undefined || 'value' in desc) return desc?.value;
  try {
    return desc.get?.call(target);
  } catch {
    return undefined;
  }
}

/** `key in target`, without running a Proxy's trap (a Proxy on the chain: false). */
export function hasProperty(target: object, key: PropertyKey): boolean {
  return lookup(target, key) !== undefined;
}

/**
 * The descriptor of `key` on `target` or its prototype chain, up to the first Proxy. Asking
 * for it can throw even so: V8 writes an Error's `stack` when it is first read, calling the
 * error's `name` and `message` getters.
 */
function lookup(target: object, key: PropertyKey): PropertyDescriptor | undefined {
  for (let current: object | null = target; current !== null; current = prototypeOf(current)) {
    if (types.isProxy(current)) return undefined;
    let desc: PropertyDescriptor | undefined;
    try {
      desc = Object.getOwnPropertyDescriptor(current, key);
    } catch {
      return undefined;
    }
    if (desc !== undefined) return desc;
  }
  return undefined;
}

/** Whether `value` is an Error, asked without running any Proxy trap. */
function isError(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || types.isProxy(value)) return false;
  // Made by an error constructor (also of another realm), or on Error.prototype's chain
  // without that (a DOMException, `Object.create(Error.prototype)`).
  return types.isNativeError(value) || inheritsFrom(value, Error.prototype);
}

function messageText(message: unknown): string {
  switch (typeof message) {
    case 'string':
      return message;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(message);
    case 'symbol':
      return message.toString();
    default:
      return '';
  }
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '') ?? '';
}
