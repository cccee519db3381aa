import { h } from './dom';

/** Longer than this, a value may take more than one line (a timestamp is 23 characters). */
const SHORT = 40;

/**
 * How a column's values wrap: `long` text (a message, a log line, or a value too long for any
 * line) wherever it must; a `token` without spaces (an id, a log group) only where a line may
 * break between its parts (after a hyphen), never inside one; anything else (codes, levels,
 * routes, statuses, timestamps) never.
 */
function wrapping(values: readonly string[]): 'long' | 'token' | undefined {
  if (
    values.some((value) => value.length > 3 * SHORT || (value.length > SHORT && /\s/.test(value)))
  )
    return 'long';
  return values.some((value) => value.length > SHORT) ? 'token' : undefined;
}

/**
 * Query results as a table in a box that scrolls sideways on its own (never the page), reachable
 * and scrollable by keyboard.
 */
export function resultsTable(
  columns: readonly string[],
  rows: readonly Readonly<Record<string, string>>[],
  label: string,
): HTMLElement {
  const wraps = new Map(
    columns.map((column) => [column, wrapping(rows.map((row) => row[column] ?? ''))]),
  );
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label },
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...columns.map((column) => h('th', { scope: 'col' }, column)))),
      h(
        'tbody',
        {},
        ...rows.map((row) =>
          h(
            'tr',
            {},
            ...columns.map((column) => h('td', { class: wraps.get(column) }, row[column] ?? '')),
          ),
        ),
      ),
    ),
  );
}
