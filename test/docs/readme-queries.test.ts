/**
 * The Logs Insights queries the docs give a reader to paste (docs/alarms-and-dashboard.md: the
 * logs, the canaries, debugging): each one parses, and names only fields the function's log lines
 * or the API's access log have (contract/logs.ts), so a renamed field cannot leave a page with a
 * query that silently finds nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACCESS_LOG_FORMAT, LOG_FIELDS } from '../../contract/logs';
import { type Query, parseQuery } from '@monitored/cloudwatch-local';

const PAGE = fs.readFileSync(
  path.join(__dirname, '..', '..', 'docs', 'alarms-and-dashboard.md'),
  'utf8',
);

/** The code blocks that are Logs Insights queries (they start with a query command). */
const QUERIES = [...PAGE.matchAll(/```[a-z]*\n([\s\S]*?)```/g)]
  .map((match) => match[1].replace(/^ +/gm, '').trim())
  .filter((block) => /^(fields|filter|stats|parse|sort)\s/.test(block));

const KNOWN_FIELDS = new Set<string>([
  ...Object.values(LOG_FIELDS),
  ...Object.keys(ACCESS_LOG_FORMAT),
]);
/**
 * The field names a parsed query reads: its field references and sort keys, less the `@` fields
 * Logs Insights makes itself.
 */
function fieldsOf(query: Query): string[] {
  const names: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const fields = node as { kind?: unknown; name?: unknown; field?: unknown };
      if (fields.kind === 'field' && typeof fields.name === 'string') names.push(fields.name);
      if (typeof fields.field === 'string') names.push(fields.field);
      Object.values(node).forEach(walk);
    }
  };
  walk(query.commands);
  return names.filter((name) => !name.startsWith('@'));
}

describe("docs/alarms-and-dashboard.md's Logs Insights queries", () => {
  it('are there to check', () => {
    expect(QUERIES.length).toBeGreaterThanOrEqual(3);
  });

  it.each(QUERIES.map((query) => [query.split('\n')[0], query]))(
    '%s … parses and names only logged fields',
    (_first, query) => {
      const unknown = fieldsOf(parseQuery(query)).filter((field) => !KNOWN_FIELDS.has(field));
      expect(unknown).toEqual([]);
    },
  );
});
