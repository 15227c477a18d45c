/**
 * What `runInWorkers` says when a thread cannot get to its task: the module is missing,
 * threw while loading, never finished loading, cannot be read as TypeScript, or lacks the
 * export. Each names the user's module (never this package's worker entry) and keeps the
 * thread's own error as `cause`.
 */
import { InterleaveError } from '../../errors.ts';
import { errorText } from '../../internal/error-text.ts';
import { isTypeScriptModule, stripsTypes } from './typescript-loader.ts';

/** Which thread could not load which module. */
export interface LoadSite {
  readonly moduleUrl: string;
  readonly index: number;
  readonly name: string;
}

/** A module that a worker could not load: `error` is what the thread's `import()` threw. */
export function explainLoadFailure(error: unknown, site: LoadSite): InterleaveError {
  const { moduleUrl } = site;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' && (error as { url?: unknown }).url === moduleUrl) {
    return new InterleaveError(
      'ERR_TASK_MODULE_LOAD',
      `runInWorkers() found no task module at ${moduleUrl}. Check the path: new URL('./tasks.mjs', import.meta.url) is resolved against the file that calls runInWorkers(), not against the working directory.`,
      { cause: error },
    );
  }
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && isTypeScriptModule(moduleUrl)) {
    return new InterleaveError(
      'ERR_TASK_MODULE_LOAD',
      `The worker threads of runInWorkers() cannot load the TypeScript module ${moduleUrl}: Node ${process.version} does not strip types, and no tsx was found to load it (looked up from the module's folder and the working directory). Install tsx (npm install --save-dev tsx): interleave registers it in its threads. Or run on Node >= 22.18, which strips types, or give a .js or .mjs module.`,
      { cause: error },
    );
  }
  return new InterleaveError(
    'ERR_TASK_MODULE_LOAD',
    `runInWorkers() could not load the task module ${moduleUrl} in the worker thread of task ${site.index} (\`${site.name}\`): ${errorText(error).replace(/\.$/, '')}.${typeStrippingHint(code, moduleUrl)} The module's error is this error's \`cause\`, with its stack.`,
    { cause: error },
  );
}

/** What Node's type stripping asks of a TypeScript module that it could not load. */
function typeStrippingHint(code: unknown, moduleUrl: string): string {
  const tsx = "or load tsx in the threads with `execArgv: ['--import', 'tsx']`";
  if (code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') {
    return ` Node's type stripping leaves only erasable syntax (no enum, namespace or parameter properties): write the module that way, ${tsx}.`;
  }
  if (code === 'ERR_MODULE_NOT_FOUND' && isTypeScriptModule(moduleUrl) && stripsTypes()) {
    return ` Under Node's type stripping, relative imports need their extension ('./db.ts'): add it, ${tsx}.`;
  }
  return '';
}

/** The thread ran out of work before the module finished loading. */
export function unsettledLoad(site: LoadSite): InterleaveError {
  return new InterleaveError(
    'ERR_TASK_MODULE_LOAD',
    `runInWorkers() could not load the task module ${site.moduleUrl} in the worker thread of task ${site.index} (\`${site.name}\`): its top-level await never settled (the thread had nothing left to run while the module still waited). Make every top-level await of the module, and of the modules it imports, settle; or move the waiting into the task.`,
  );
}

export function missingExport(
  site: LoadSite,
  found: string,
  functions: readonly string[],
): InterleaveError {
  const known = functions.length > 0 ? functions.join(', ') : 'none';
  const what =
    found === 'undefined' ? 'has no such export' : `exports it as a ${found}, not a function`;
  return new InterleaveError(
    'ERR_UNKNOWN_EXPORT',
    `runInWorkers() task ${site.index} names the export \`${site.name}\`, but ${site.moduleUrl} ${what}. Exported functions: ${known}. Check the name in \`tasks\`.`,
  );
}

/**
 * The threads `stuck` were blocked for `ms` ms (`taskTimeout`) while they loaded the task
 * module: its top level, or that of a module it imports, never returned.
 */
export function loadTimeout(
  moduleUrl: string,
  stuck: readonly { readonly index: number; readonly name: string }[],
  ms: number,
): InterleaveError {
  const which = stuck.map(({ index, name }) => `${index} (\`${name}\`)`).join(', ');
  const threads =
    stuck.length === 1
      ? `the worker thread of task ${which} was`
      : `the worker threads of tasks ${which} were`;
  return new InterleaveError(
    'ERR_TASK_MODULE_LOAD',
    `runInWorkers() could not load the task module ${moduleUrl}: ${threads} blocked for ${ms} ms while loading it (no event loop turn), so the threads were terminated. Its top level, or that of a module it imports, does not return: a wait without a timeout (Atomics.wait), an endless loop, or a synchronous call that never ends. Move such waiting into the task, or raise \`taskTimeout\` if a top level only runs long.`,
  );
}
