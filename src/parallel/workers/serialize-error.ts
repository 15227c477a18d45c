import { InterleaveError, type InterleaveErrorCode } from '../../errors.ts';
import { BarrierError, type BarrierErrorCode, type TaskStatus } from '../task-status.ts';

/**
 * An error as it crosses between threads. `postMessage` keeps an Error's message and stack
 * but drops `code` and every other field, so errors are taken apart explicitly here and
 * put back together on the other side, with their class where it is a known one.
 */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly props: Record<string, unknown>;
  readonly cause?: SerializedError;
  /** Set when something other than an Error was thrown. */
  readonly thrown?: unknown;
}

const BUILT_IN: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    return {
      name: 'Error',
      message: `A non-Error value was thrown: ${safeString(error)}`,
      stack: undefined,
      props: {},
      thrown: cloneable(error) ? error : safeString(error),
    };
  }
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    if (key === 'cause' || key === 'stack' || key === 'message') continue;
    const value = (error as unknown as Record<string, unknown>)[key];
    if (cloneable(value)) props[key] = value;
  }
  const code = (error as { code?: unknown }).code;
  if (code !== undefined && cloneable(code)) props.code = code;
  const result: SerializedError = {
    name: error.name,
    message: error.message,
    stack: error.stack,
    props,
  };
  if (error.cause !== undefined && depth < 5) {
    return { ...result, cause: serializeError(error.cause, depth + 1) };
  }
  return result;
}

export function deserializeError(serialized: SerializedError): Error {
  const { name, message, stack, props, cause } = serialized;
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
  } else {
    const Constructor = BUILT_IN[name] ?? Error;
    error = new Constructor(message, options);
    if (error.name !== name)
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
  if ('thrown' in serialized) {
    Object.defineProperty(error, 'thrown', { value: serialized.thrown, enumerable: true });
  }
  return error;
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
