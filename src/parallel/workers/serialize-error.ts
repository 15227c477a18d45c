import { types } from 'node:util';
import { ArgumentError, argumentDetails, type ArgumentErrorDetails } from '../../argument-error.ts';
import { InterleaveError, type InterleaveErrorCode } from '../../errors.ts';
import { inheritsFrom } from '../../internal/class-name.ts';
import { errorParts, readProperty } from '../../internal/error-parts.ts';
import { formatValue } from '../../internal/format-value.ts';
import { BarrierError, type BarrierErrorCode } from '../barrier-error.ts';
import type { TaskStatus } from '../task-status.ts';

/**
 * A thrown value as it crosses between threads. `postMessage` keeps an Error's message and
 * stack but drops `code` and every other field, so errors are taken apart explicitly here
 * and put back together on the other side: with their class for the built-in error classes
 * and interleave's own, their `name` otherwise. A thrown non-Error crosses as the value
 * itself when it can be cloned. Whatever was thrown, taking it apart never throws: its parts
 * are read as the error texts read them (`internal/error-parts.ts`: no Proxy trap, a throwing
 * getter only loses its part), and `cause` is followed five levels deep at most (a cycle).
 */
export type SerializedError =
  | {
      readonly kind: 'error';
      readonly name: string;
      readonly message: string;
      readonly stack: string | undefined;
      readonly props: Record<string, unknown>;
      readonly cause?: SerializedError;
      readonly errors?: SerializedError[];
    }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'unclonable'; readonly description: string };

const BUILT_IN: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

export function serializeError(thrown: unknown, depth = 0): SerializedError {
  const parts = errorParts(thrown);
  if (parts === undefined) {
    return cloneable(thrown)
      ? { kind: 'value', value: thrown }
      : { kind: 'unclonable', description: formatValue(thrown, 80) };
  }
  const error = thrown as Error; // an Error, not a Proxy (errorParts said so)
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    if (key === 'cause' || key === 'stack' || key === 'message' || key === 'errors') continue;
    const value = readProperty(error, key);
    if (cloneable(value)) props[key] = value;
  }
  const code = readProperty(error, 'code');
  if (code !== undefined && cloneable(code)) props.code = code;
  if (isArgumentError(error)) props.details = argumentDetails(error);
  const stack = readProperty(error, 'stack');
  const cause = readProperty(error, 'cause');
  const errors = readProperty(error, 'errors');
  const nested = depth < 5;
  return {
    kind: 'error',
    name: parts.name,
    message: parts.message,
    stack: typeof stack === 'string' ? stack : undefined,
    props,
    ...(nested && cause !== undefined ? { cause: serializeError(cause, depth + 1) } : {}),
    ...(nested && inheritsFrom(error, AggregateError.prototype) && isArray(errors)
      ? { errors: Array.from({ length: errors.length }, (_, i) => nestedError(errors, i, depth)) }
      : {}),
  };
}

/** Element `i` of an AggregateError's `errors` (a getter there is read as the others are). */
function nestedError(errors: unknown[], i: number, depth: number): SerializedError {
  return serializeError(readProperty(errors, i), depth + 1);
}

/** `instanceof ArgumentError`, minus the traps of a Proxy on the prototype chain. */
function isArgumentError(error: Error): error is ArgumentError {
  return inheritsFrom(error, ArgumentError.prototype);
}

/** `Array.isArray`, which throws for a revoked Proxy; a Proxy here is not taken apart. */
function isArray(value: unknown): value is unknown[] {
  return !types.isProxy(value) && Array.isArray(value);
}

export function deserializeError(serialized: SerializedError): unknown {
  if (serialized.kind === 'value') return serialized.value;
  if (serialized.kind === 'unclonable') {
    return new Error(
      `A value that cannot be copied between threads was thrown: ${serialized.description}`,
    );
  }
  const { name, message, stack, cause, errors } = serialized;
  let { props } = serialized;
  const options = cause === undefined ? undefined : { cause: deserializeError(cause) };
  let error: Error;
  if (name === 'BarrierError') {
    error = new BarrierError(
      props.code as BarrierErrorCode,
      message,
      { barrier: props.barrier as number, tasks: props.tasks as TaskStatus[] },
      options,
    );
  } else if (name === 'InterleaveError' && typeof props.code === 'string') {
    error = new InterleaveError(props.code as InterleaveErrorCode, message, options);
  } else if (
    name === 'TypeError' &&
    props.code === 'ERR_INVALID_ARGUMENT' &&
    isDetails(props.details)
  ) {
    error = new ArgumentError(message, props.details);
    props = {};
  } else if (errors !== undefined) {
    error = new AggregateError(errors.map(deserializeError), message, options);
  } else {
    const Constructor = BUILT_IN[name] ?? Error;
    error = new Constructor(message, options);
  }
  if (error.name !== name) {
    Object.defineProperty(error, 'name', { value: name, configurable: true, writable: true });
  }
  for (const [key, value] of Object.entries(props)) {
    if (key === 'name') continue;
    Object.defineProperty(error, key, {
      value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  if (stack !== undefined) {
    Object.defineProperty(error, 'stack', { value: stack, configurable: true, writable: true });
  }
  return error;
}

function isDetails(value: unknown): value is ArgumentErrorDetails {
  return typeof value === 'object' && value !== null && 'api' in value && 'argument' in value;
}

function cloneable(value: unknown): boolean {
  if (typeof value === 'function' || typeof value === 'symbol') return false;
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}
