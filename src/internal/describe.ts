/**
 * Describes a received value for an error message: its type and, where short, the value
 * itself, e.g. `a string ("gteCount")`, `a number (-1)`, `null`, `an object ({ a, b })`.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)})`;
    case 'number':
      return `a number (${String(value)})`;
    case 'bigint':
      return `a bigint (${String(value)}n)`;
    case 'boolean':
      return `a boolean (${String(value)})`;
    case 'symbol':
      return `a symbol (${value.toString()})`;
    case 'function':
      return value.name ? `a function (${value.name})` : 'an anonymous function';
    default:
      return describeObject(value);
  }
}

function describeObject(value: object): string {
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value instanceof Promise) return 'a promise';
  if (value instanceof Error) {
    const message = value.message.split('\n', 1)[0] ?? '';
    return `an error (${value.name}: ${message.length > 80 ? `${message.slice(0, 77)}...` : message})`;
  }
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  if (tag === 'Module') return 'an ES module namespace';
  const ctor = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)
    ?.constructor?.name;
  const keys = Object.keys(value);
  const shown = keys.slice(0, 5).join(', ') + (keys.length > 5 ? ', ...' : '');
  const shape = keys.length > 0 ? `{ ${shown} }` : '{}';
  if (typeof ctor === 'string' && ctor !== 'Object' && ctor !== '') {
    return `an instance of ${ctor} (${shape})`;
  }
  return `an object (${shape})`;
}

/** Formats a property key for a message: `getCount`, `[Symbol(run)]`. */
export function formatKey(key: PropertyKey): string {
  return typeof key === 'symbol' ? `[${key.toString()}]` : String(key);
}

/**
 * Lists the names of the function-valued properties reachable on `target` (own and
 * inherited, up to but excluding `Object.prototype` / `Function.prototype`), so an error
 * can say what *is* there. Never throws: getters are not invoked.
 */
export function functionNames(target: object, limit = 12): string[] {
  const names = new Set<string>();
  let current: object | null = target;
  while (
    current !== null &&
    current !== Object.prototype &&
    current !== Function.prototype &&
    names.size < limit
  ) {
    for (const key of Reflect.ownKeys(current)) {
      if (key === 'constructor' || names.size >= limit) continue;
      const desc = Object.getOwnPropertyDescriptor(current, key);
      if (desc && 'value' in desc && typeof desc.value === 'function') names.add(formatKey(key));
      // A getter may hold a function (bundled CommonJS exports); it is named, not called.
      else if (desc?.get) names.add(`${formatKey(key)} (getter)`);
    }
    current = Object.getPrototypeOf(current) as object | null;
  }
  return [...names];
}
