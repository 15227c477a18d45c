import { expect } from 'vitest';
import { ParallelError } from 'interleave';

/** Awaits a run that must fail, and returns its ParallelError. */
export async function failure(run: Promise<unknown>): Promise<ParallelError> {
  try {
    await run;
  } catch (error) {
    expect(error).toBeInstanceOf(ParallelError);
    return error as ParallelError;
  }
  throw new Error('expected the run to fail');
}
