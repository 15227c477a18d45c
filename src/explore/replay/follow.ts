import { type Chooser, defaultChoice } from '../engine/run-types.ts';
import type { Segment } from './token.ts';

/**
 * Follows segments ("run task t for n steps") leniently: a segment whose task cannot run
 * (finished, blocked) is cut short and the next one starts. After the last segment, default
 * choices. This is what shrinking edits: removing a segment still leaves a valid schedule.
 */
export function followSegments(segments: readonly Segment[]): Chooser {
  let index = 0;
  let used = 0;
  return {
    choose(enabled, current, _step, view) {
      while (index < segments.length) {
        const segment = segments[index] as Segment;
        if (used < segment.steps && enabled.includes(segment.task)) {
          used++;
          return segment.task;
        }
        index++;
        used = 0;
      }
      return defaultChoice(enabled, current, view.fairTurn);
    },
  };
}
