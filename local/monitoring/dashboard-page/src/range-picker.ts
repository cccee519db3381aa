import { h } from './dom';
import { duration } from './format';

/** The ranges the picker offers, in seconds of simulated time: 15 min, 1 h, 3 h. */
export const RANGES = [900, 3600, 10_800];

/**
 * Radio buttons for the time range (arrow keys move between them, as for any radio group), with
 * `initial` added when it is not one of RANGES.
 */
export function rangePicker(
  id: string,
  initial: number,
  onChange: (seconds: number) => void,
): HTMLFieldSetElement {
  const ranges = [...new Set([...RANGES, initial])].sort((a, b) => a - b);
  return h(
    'fieldset',
    { id, class: 'range-picker' },
    h('legend', {}, 'Time range (simulated)'),
    ...ranges.map((seconds) => {
      const input = h('input', {
        type: 'radio',
        name: `${id}-choice`,
        id: `${id}-${seconds}`,
        value: String(seconds),
      });
      input.checked = seconds === initial;
      input.addEventListener('change', () => {
        if (input.checked) onChange(seconds);
      });
      return h('label', { for: input.id }, input, ` ${duration(seconds)}`);
    }),
  );
}
