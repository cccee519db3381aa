import { h } from './dom';

/**
 * Text that wraps: a message or a log line (words), or a value too long for any one line (a JSON
 * log line). Codes, routes, ids and timestamps never wrap, nor break inside a word.
 */
const isLong = (value: string) => value.length > 120 || (value.length > 40 && /\s/.test(value));

/**
 * Query results as a table in a box that scrolls sideways on its own (never the page), reachable
 * and scrollable by keyboard.
 */
export function resultsTable(
  columns: readonly string[],
  rows: readonly Readonly<Record<string, string>>[],
  label: string,
): HTMLElement {
  const long = new Set(columns.filter((column) => rows.some((row) => isLong(row[column] ?? ''))));
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
            ...columns.map((column) =>
              h('td', { class: long.has(column) ? 'long' : undefined }, row[column] ?? ''),
            ),
          ),
        ),
      ),
    ),
  );
}
