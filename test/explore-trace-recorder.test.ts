/**
 * The engine's trace recorder (src/explore/engine/trace-recorder.ts), the only writer of step
 * records: when a record is frozen, and which writes it takes or drops.
 */
import { describe, expect, it } from 'vitest';
import { TraceRecorder } from '../src/explore/engine/trace-recorder.ts';

describe('the trace recorder', () => {
  const checkpointAt = { label: 'c' };
  const callAt = () => ({ label: 'get', args: [1], target: {}, key: 'get' });

  it('freezes a step when its task is granted its next one, not when it parks', () => {
    const recorder = new TraceRecorder();

    recorder.begin(0, checkpointAt, false);
    recorder.parked(0);
    const first = recorder.trace[0];
    expect(Object.isFrozen(first)).toBe(false);
    // The task's other branch may still finish it, in the same step.
    recorder.settled(0, true, 'x');
    expect(first).toMatchObject({ end: 'finished', returned: 'x' });
    expect(Object.isFrozen(first)).toBe(true);

    recorder.begin(1, checkpointAt, false);
    recorder.parked(1);
    recorder.begin(1, checkpointAt, false);
    expect(recorder.trace.map((step) => Object.isFrozen(step))).toEqual([true, true, false]);
  });

  it("keeps a yieldAt call's step open until its outcome comes, then freezes it", () => {
    const recorder = new TraceRecorder();
    const point = callAt();

    recorder.begin(0, point, false);
    recorder.parked(0);
    recorder.begin(0, checkpointAt, false);
    const call = recorder.trace[0];
    expect(Object.isFrozen(call)).toBe(false);

    recorder.outcome(point, true, 42);

    expect(call).toMatchObject({ end: 'parked', result: 42 });
    expect(Object.isFrozen(call)).toBe(true);
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
    expect(Object.isFrozen(recorder.trace[0])).toBe(true);
  });

  it('freezes everything at finish(), and drops outcomes that come later', () => {
    const recorder = new TraceRecorder();
    const point = callAt();
    recorder.begin(0, point, false);

    recorder.finish();
    recorder.outcome(point, true, 'late');

    expect(recorder.trace[0]).not.toHaveProperty('result');
    expect(Object.isFrozen(recorder.trace[0])).toBe(true);
    expect(Object.isFrozen(recorder.trace)).toBe(true);
  });
});
