import { formatValue, shortWidth } from '../internal/format-value.ts';
import type { TraceStep } from './types.ts';

/**
 * The text of one step's cell in at most `width` characters: the point, the call's arguments
 * and the value it read (`yieldAt` points), and how the step ended. The marks (`→`, `✗`, `✓`,
 * `[blocked]`) are always drawn; the values share the room left, each keeping at least a
 * short form (`Client {…}`), so a driver's client among the arguments cannot push out the
 * other arguments, what was read, or how the step ended.
 */
export function describeStep(step: TraceStep, width: number): string {
  const parts: Part[] = [];
  // A call's error that the task threw on is drawn once, as what the task threw.
  const rethrown = 'error' in step && step.end === 'failed' && step.thrown === step.error;
  if (step.args !== undefined) {
    parts.push(argsPart(step.args));
    if ('error' in step && !rethrown) parts.push(valuePart(' ✗ ', step.error));
    else if ('result' in step && step.result !== undefined)
      parts.push(valuePart(' → ', step.result));
  }
  if (step.blocked) parts.push(textPart(' [blocked]'));
  if (step.end === 'finished') {
    parts.push(
      step.returned === undefined ? textPart(' ✓ done') : valuePart(' ✓ returned ', step.returned),
    );
  } else if (step.end === 'failed') {
    parts.push(valuePart(' ✗ threw ', step.thrown));
  }
  const fixed = parts.reduce((n, part) => n + part.before.length + part.after.length, 0);
  const room = Math.max(0, width - step.label.length - fixed);
  const fits = parts.map((part) => part.fit(room));
  const budgets = share(fits, room);
  return parts.reduce(
    (text, part, i) =>
      `${text}${part.before}${fits[i]?.draw(Math.max(1, budgets[i] ?? 0)) ?? ''}${part.after}`,
    step.label,
  );
}

/** How a value fits in `room`: the width it takes whole, the least that still says what it is. */
interface Fit {
  readonly want: number;
  readonly min: number;
  /** What was read, returned or thrown: it grows before the arguments do. */
  readonly first?: boolean;
  draw(room: number): string;
}

/** A piece of a cell: fixed text around a value that fits into the room it is given. */
interface Part {
  readonly before: string;
  readonly after: string;
  fit(room: number): Fit;
}

const NOTHING: Fit = { want: 0, min: 0, draw: () => '' };

const textPart = (text: string): Part => ({ before: text, after: '', fit: () => NOTHING });

const valuePart = (before: string, value: unknown): Part => ({
  before,
  after: '',
  fit: (room) => ({ ...valueFit(value, room), first: true }),
});

function valueFit(value: unknown, room: number): Fit {
  return {
    want: formatValue(value, room).length,
    min: formatValue(value, shortWidth(value)).length,
    draw: (budget) => formatValue(value, budget),
  };
}

function argsPart(args: readonly unknown[]): Part {
  return {
    before: '(',
    after: ')',
    fit: (room) => {
      const fits = args.map((arg) => valueFit(arg, room));
      const separators = 2 * Math.max(0, args.length - 1);
      const want = formatArgs(args, room).length;
      const min = Math.min(
        want,
        fits.reduce((n, fit) => n + fit.min, separators),
      );
      return { want, min, draw: (budget) => formatArgs(args, budget) };
    },
  };
}

/**
 * The arguments of a call in `room` characters: as many leading arguments as fit with at
 * least their short form, sharing the room, then `…` for the rest.
 */
function formatArgs(args: readonly unknown[], room: number): string {
  for (let count = args.length; count > 0; count--) {
    const more = count < args.length ? ', …' : '';
    const left = room - 2 * (count - 1) - more.length;
    const fits = args.slice(0, count).map((arg) => valueFit(arg, left));
    if (sum(fits.map((fit) => fit.min)) > left) continue;
    const budgets = share(fits, left);
    return fits.map((fit, i) => fit.draw(budgets[i] ?? 0)).join(', ') + more;
  }
  return args.length === 0 ? '' : '…';
}

/**
 * Splits `room` between values: each gets its short form first; then the values marked
 * `first` (what was read, returned or thrown) may grow to half the room; the rest goes to
 * whoever wants more, an equal share each (less for those that want less). When even the
 * short forms do not fit, they are what is shared.
 */
function share(fits: readonly Fit[], room: number): number[] {
  const budgets = fits.map((fit) => fit.min);
  const need = sum(budgets);
  if (need >= room) return fill(budgets, room);
  let left = room - need;
  const half = Math.floor(room / 2);
  for (const wants of [
    fits.map((fit, i) =>
      fit.first ? Math.max(0, Math.min(fit.want, half) - (budgets[i] ?? 0)) : 0,
    ),
    fits.map((fit, i) => fit.want - (budgets[i] ?? 0)),
  ]) {
    const extra = fill(wants, left);
    for (const [i, n] of extra.entries()) budgets[i] = (budgets[i] ?? 0) + n;
    left -= sum(extra);
  }
  return budgets;
}

const sum = (numbers: readonly number[]) => numbers.reduce((a, b) => a + b, 0);

/** Water-filling: a value that wants less than an equal share gets what it wants. */
export function fill(wants: readonly number[], room: number): number[] {
  const budgets = wants.map(() => 0);
  const order = wants.map((_, i) => i).sort((a, b) => (wants[a] ?? 0) - (wants[b] ?? 0));
  let left = Math.max(0, room);
  for (const [k, i] of order.entries()) {
    const budget = Math.min(wants[i] ?? 0, Math.floor(left / (order.length - k)));
    budgets[i] = budget;
    left -= budget;
  }
  return budgets;
}
