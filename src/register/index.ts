/**
 * `interleave/register`: `node --import interleave/register` makes the exported functions of
 * the project's own ES modules patchable through their namespace, so that
 * `import * as db from './db.js'; after(db, 'getCount', ...)` changes what every importer of
 * `getCount` calls. Modules in node_modules are left alone unless their package is listed in
 * INTERLEAVE_REGISTER_PACKAGES (comma-separated).
 *
 * @packageDocumentation
 * @module interleave/register
 */
import * as nodeModule from 'node:module';
import { markRegisterActive } from '../hooks/esm-bindings.ts';
import { packagesFrom } from './instrument.ts';

const loaderHooksUrl = new URL(
  import.meta.url.endsWith('.ts') ? './loader-hooks.ts' : './loader-hooks.js',
  import.meta.url,
);

type RegisterHooks = (hooks: { load: unknown }) => unknown;
const registerHooks = (nodeModule as { registerHooks?: RegisterHooks }).registerHooks;

if (typeof registerHooks === 'function') {
  // Node >= 22.15: synchronous hooks in this thread (and every worker that imports this).
  const { loadSync } = (await import(loaderHooksUrl.href)) as typeof import('./loader-hooks.ts');
  registerHooks({ load: loadSync });
} else {
  // Node 20.19+: asynchronous hooks on the loader thread.
  nodeModule.register(loaderHooksUrl, {
    data: { packages: packagesFrom(process.env.INTERLEAVE_REGISTER_PACKAGES) },
  });
}
markRegisterActive();
