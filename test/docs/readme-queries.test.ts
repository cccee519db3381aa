/**
 * The Logs Insights queries the README gives a reader to paste: each one parses, and names only
 * fields the function's log lines or the API's access log have (contract/logs.ts), so a renamed
 * field cannot leave the README with a query that silently finds nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACCESS_LOG_FORMAT, LOG_FIELDS } from '../../contract/logs';
import { parseQuery } from '../../local/monitoring/logs-insights/parser';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The code blocks that are Logs Insights queries (they start with a query command). */
const QUERIES = [...README.matchAll(/```[a-z]*\n([\s\S]*?)```/g)]
  .map((match) => match[1].replace(/^ +/gm, '').trim())
  .filter((block) => /^(fields|filter|stats|parse|sort)\s/.test(block));

const KNOWN_FIELDS = new Set<string>([
  ...Object.values(LOG_FIELDS),
  ...Object.keys(ACCESS_LOG_FORMAT),
]);
const WORDS = new Set([
  'fields',
  'filter',
  'sort',
  'asc',
  'desc',
  'limit',
  'stats',
  'by',
  'as',
  'and',
  'or',
  'not',
  'like',
  'in',
  'parse',
  'display',
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'pct',
  'bin',
  'ispresent',
]);

/** The field names a query uses: its words, less strings, regexes, @fields and the language's own. */
function fieldsOf(query: string): string[] {
  const bare = query.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\/(?:[^/\\\n]|\\.)+\//g, '//');
  return [...bare.matchAll(/(?<![@\w])[A-Za-z_]\w*/g)]
    .map((match) => match[0])
    .filter((word) => !WORDS.has(word));
}

describe("the README's Logs Insights queries", () => {
  it('are there to check', () => {
    expect(QUERIES.length).toBeGreaterThanOrEqual(3);
  });

  it.each(QUERIES.map((query) => [query.split('\n')[0], query]))(
    '%s … parses and names only logged fields',
    (_first, query) => {
      expect(() => parseQuery(query)).not.toThrow();
      const unknown = fieldsOf(query).filter((field) => !KNOWN_FIELDS.has(field));
      expect(unknown).toEqual([]);
    },
  );
});
