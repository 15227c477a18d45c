import { BARRIER_TIMEOUT, TASK_TIMEOUT } from '../internal/defaults.ts';
import { duration } from '../internal/duration.ts';
import { boolean, invalid, type OptionsShape } from '../internal/options.ts';

/** The options every parallel run has, in the order they are checked and listed. */
export const RUN_OPTIONS = {
  timeout: duration({ meaning: 'how long one barrier wait may take', fallback: BARRIER_TIMEOUT }),
  taskTimeout: duration({
    meaning: 'how long each task may run in all, from its start',
    fallback: TASK_TIMEOUT,
    unbounded: true,
  }),
  settle: boolean(false),
};

/** How the options object of `api` (its second argument) is named in messages. */
export function runOptionsShape(api: string, optional: boolean): OptionsShape {
  return {
    api,
    name: 'options',
    position: 'the second argument',
    example: '{ timeout: 1000 }',
    noun: 'option',
    optional,
  };
}

/** Checks that `label` of `runner.await(label)` is a string or undefined. */
export function validateLabel(api: string, label: unknown): string | undefined {
  if (label === undefined || typeof label === 'string') return label;
  return invalid(
    { api, argument: 'label', subject: `\`label\` of ${api}(label)` },
    'a string (or nothing)',
    label,
    "Labels name the point each task has reached, e.g. runner.await('read').",
  );
}
