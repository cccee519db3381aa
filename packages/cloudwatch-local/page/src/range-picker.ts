import { h } from './dom';
import { duration } from './format';

/** The ranges the picker offers, in seconds of simulated time: 15 min, 1 h, 3 h. */
const RANGES = [900, 3600, 10_800];

/** A fixed range a link gave, offered first and chosen. */
export interface FixedRange {
  /** `2026-11-28 10:06:00 to 10:12:30 UTC` */
  readonly label: string;
  readonly onPick: () => void;
}

/**
 * Radio buttons for the time range (arrow keys move between them, as for any radio group), with
 * `initial` added when it is not one of RANGES; with `fixed`, the link's own range comes first and
 * is the one chosen.
 */
export function rangePicker(
  id: string,
  initial: number,
  onChange: (seconds: number) => void,
  fixed?: FixedRange,
): HTMLFieldSetElement {
  const ranges = [...new Set([...RANGES, initial])].sort((a, b) => a - b);
  const fixedChoice =
    fixed === undefined
      ? undefined
      : (() => {
          const input = h('input', {
            type: 'radio',
            name: `${id}-choice`,
            id: `${id}-fixed`,
            value: 'fixed',
          });
          input.checked = true;
          input.addEventListener('change', () => {
            if (input.checked) fixed.onPick();
          });
          return h('label', { for: input.id }, input, ` ${fixed.label}`);
        })();
  return h(
    'fieldset',
    { id, class: 'range-picker' },
    h('legend', {}, 'Time range (simulated)'),
    fixedChoice,
    ...ranges.map((seconds) => {
      const input = h('input', {
        type: 'radio',
        name: `${id}-choice`,
        id: `${id}-${seconds}`,
        value: String(seconds),
      });
      input.checked = fixed === undefined && seconds === initial;
      input.addEventListener('change', () => {
        if (input.checked) onChange(seconds);
      });
      return h('label', { for: input.id }, input, ` ${duration(seconds)}`);
    }),
  );
}
