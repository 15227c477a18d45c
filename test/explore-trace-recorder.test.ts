/**
 * The engine's trace recorder (src/explore/engine/trace-recorder.ts), the only writer of step
 * records: which writes a record takes or drops, and the publishing that freezes a trace.
 */
import { describe, expect, it } from 'vitest';
import { publishTrace, TraceRecorder } from '../src/explore/engine/trace-recorder.ts';

describe('the trace recorder', () => {
  const checkpointAt = { label: 'c' };
  const callAt = () => ({ label: 'get', args: [1], target: {}, key: 'get' });

  it('closes a step when its task is granted its next one, not when it parks', () => {
    const recorder = new TraceRecorder();

    recorder.begin(0, checkpointAt, false);
    recorder.parked(0);
    // The task's other branch may still finish it, in the same step.
    recorder.settled(0, true, 'x');
    expect(recorder.trace[0]).toMatchObject({ end: 'finished', returned: 'x' });

    recorder.begin(1, checkpointAt, false);
    recorder.parked(1);
    recorder.begin(1, checkpointAt, false);
    recorder.settled(1, false, 'thrown');
    expect(recorder.trace.map((step) => step.end)).toEqual(['finished', 'parked', 'failed']);
    expect(recorder.trace[1]).not.toHaveProperty('thrown');
  });

  it("writes a yieldAt call's outcome into its step whenever it comes, once", () => {
    const recorder = new TraceRecorder();
    const point = callAt();

    recorder.begin(0, point, false);
    recorder.parked(0);
    recorder.begin(0, checkpointAt, false);
    recorder.outcome(point, true, 42);
    recorder.outcome(point, true, 43);

    expect(recorder.trace[0]).toMatchObject({ end: 'parked', args: [1], result: 42 });
    expect(recorder.trace[1]).not.toHaveProperty('result');
  });

  it('writes nothing a task does after closeAll(), but still the outcomes of calls', () => {
    const recorder = new TraceRecorder();
    const point = callAt();

    recorder.begin(0, point, false);
    recorder.closeAll();
    recorder.parked(0);
    recorder.settled(0, false, new Error('after the failure'));
    recorder.outcome(point, false, 'rejected');

    expect(recorder.trace[0]).toMatchObject({ end: 'blocked', error: 'rejected' });
    expect(recorder.trace[0]).not.toHaveProperty('thrown');
  });

  it('drops outcomes that come after finish()', () => {
    const recorder = new TraceRecorder();
    const point = callAt();
    recorder.begin(0, point, false);

    recorder.finish();
    recorder.outcome(point, true, 'late');

    expect(recorder.trace[0]).not.toHaveProperty('result');
  });

  it('publishes a trace by freezing the list and every record, once', () => {
    const recorder = new TraceRecorder();
    recorder.begin(0, callAt(), false);
    recorder.begin(1, checkpointAt, true);
    recorder.finish();

    publishTrace(recorder.trace);
    publishTrace(recorder.trace);

    expect(Object.isFrozen(recorder.trace)).toBe(true);
    expect(recorder.trace.every((step) => Object.isFrozen(step))).toBe(true);
    expect(() => {
      (recorder.trace[0] as { end: string }).end = 'failed';
    }).toThrow(TypeError);
  });
});
