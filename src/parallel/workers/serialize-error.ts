import { ArgumentError, argumentDetails, type ArgumentErrorDetails } from '../../argument-error.ts';
import { InterleaveError, type InterleaveErrorCode } from '../../errors.ts';
import { BarrierError, type BarrierErrorCode } from '../barrier-error.ts';
import type { TaskStatus } from '../task-status.ts';

/**
 * A thrown value as it crosses between threads. `postMessage` keeps an Error's message and
 * stack but drops `code` and every other field, so errors are taken apart explicitly here
 * and put back together on the other side: with their class for the built-in error classes
 * and interleave's own, their `name` otherwise. A thrown non-Error crosses as the value
 * itself when it can be cloned.
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
  if (!(thrown instanceof Error)) {
    return cloneable(thrown)
      ? { kind: 'value', value: thrown }
      : { kind: 'unclonable', description: safeString(thrown) };
  }
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(thrown)) {
    if (key === 'cause' || key === 'stack' || key === 'message' || key === 'errors') continue;
    const value = (thrown as unknown as Record<string, unknown>)[key];
    if (cloneable(value)) props[key] = value;
  }
  const code = (thrown as { code?: unknown }).code;
  if (code !== undefined && cloneable(code)) props.code = code;
  if (thrown instanceof ArgumentError) props.details = argumentDetails(thrown);
  const nested = depth < 5;
  return {
    kind: 'error',
    name: thrown.name,
    message: thrown.message,
    stack: thrown.stack,
    props,
    ...(nested && thrown.cause !== undefined
      ? { cause: serializeError(thrown.cause, depth + 1) }
      : {}),
    ...(nested && thrown instanceof AggregateError
      ? { errors: (thrown.errors as unknown[]).map((e) => serializeError(e, depth + 1)) }
      : {}),
  };
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

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return 'an unprintable value';
  }
}
