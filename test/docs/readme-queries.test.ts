/**
 * The Logs Insights queries the README gives a reader to paste: each one parses, and names only
 * fields the function's log lines or the API's access log have (contract/logs.ts), so a renamed
 * field cannot leave the README with a query that silently finds nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACCESS_LOG_FORMAT, LOG_FIELDS } from '../../contract/logs';
import { type Query, parseQuery } from '@monitored/cloudwatch-local';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The code blocks that are Logs Insights queries (they start with a query command). */
const QUERIES = [...README.matchAll(/```[a-z]*\n([\s\S]*?)```/g)]
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

describe("the README's Logs Insights queries", () => {
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
