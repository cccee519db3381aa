import { h } from './dom';

/**
 * Query results as a table in a box that scrolls sideways on its own (never the page), reachable
 * and scrollable by keyboard.
 */
export function resultsTable(
  columns: readonly string[],
  rows: readonly Readonly<Record<string, string>>[],
  label: string,
): HTMLElement {
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
          h('tr', {}, ...columns.map((column) => h('td', {}, row[column] ?? ''))),
        ),
      ),
    ),
  );
}
