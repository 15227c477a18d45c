import { InterleaveError } from '../errors.ts';
import { formatKey } from '../internal/describe.ts';
import { hasBindings, isRegisterActive } from './esm-bindings.ts';

/** `ERR_NOT_PATCHABLE` for an ES module namespace: how to make its export patchable. */
export function esmNotPatchable(
  apiName: string,
  key: PropertyKey,
  target: object,
): InterleaveError {
  const name = formatKey(key);
  const why = hasBindings(target)
    ? `the module was loaded through interleave/register, but \`${name}\` is not one of its own ` +
      `exported locals (it is re-exported from another module, or a default export of an ` +
      `expression). Hook it through the module that declares it, or declare it as ` +
      `\`export function\`, \`export let\` or \`export const ${name} = ...\`.`
    : isRegisterActive()
      ? `interleave/register is active, but this module was not instrumented: it is in ` +
        `node_modules (list its package in INTERLEAVE_REGISTER_PACKAGES), it is not a file, or ` +
        `it was loaded with require() (Node 20 cannot hook require(): use .mjs files, ` +
        `\`import()\`, or Node >= 22.15; Mocha loads .js test files with require() there).`
      : `either run the tests with \`node --import interleave/register\` (node:test, Mocha: ` +
        `NODE_OPTIONS='--import interleave/register'; see node_modules/interleave/docs/esm.md) so that the exports of ` +
        `your own modules become patchable, or pass the object that holds the function and that ` +
        `the code under test calls through (e.g. export a \`db\` object and hook ` +
        `\`${apiName}(db, '${name}', ...)\`).`;
  return new InterleaveError(
    'ERR_NOT_PATCHABLE',
    `${apiName}() cannot patch \`${name}\`: the target is an ES module namespace, whose exports are ` +
      `read-only live bindings that only their own module may change. To fix it, ${why}`,
  );
}

/** `ERR_NOT_PATCHABLE` for a property `Patch` cannot replace, saying `why`. */
export function notPatchable(
  apiName: string,
  key: PropertyKey,
  why: string,
  cause?: unknown,
): InterleaveError {
  const name = formatKey(key);
  return new InterleaveError(
    'ERR_NOT_PATCHABLE',
    `${apiName}() cannot patch \`${name}\`: ${why}. Hook the object that actually holds the ` +
      `function (for a class method, \`Class.prototype\`), or make the property configurable.`,
    cause === undefined ? undefined : { cause },
  );
}
