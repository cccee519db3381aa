/**
 * The tables of docs/local-and-monitoring.md that restate code: every npm script and every
 * `npm start` option has its row, and a row names only options `npm start` takes; each local
 * part records only metrics and dimensions of the metric catalogue, under their namespace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AWS_METRICS } from '@monitored/cloudwatch-model';

const ROOT = path.resolve(__dirname, '..', '..');
const PAGE = fs.readFileSync(path.join(ROOT, 'docs', 'local-and-monitoring.md'), 'utf8');
const SCRIPTS = Object.keys(
  (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts,
);

/** The rows (cells, trimmed) of the first table of the page whose header row is `header`. */
function table(header: string): string[][] {
  const start = PAGE.indexOf(`\n${header}\n`);
  expect({ header, found: start >= 0 }).toEqual({ header, found: true });
  const rows: string[][] = [];
  for (const line of PAGE.slice(start + header.length + 2)
    .split('\n')
    .slice(1)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

describe('docs/local-and-monitoring.md', () => {
  const commands = table('| command | what it does |');
  const firstColumn = commands.map(([command]) => command).join('\n');

  it('has a row for every npm script', () => {
    const missing = SCRIPTS.filter((script) => {
      const typed = script === 'start' || script === 'test' ? `npm ${script}` : `npm run ${script}`;
      return !new RegExp(`\`${typed}(?: [^\`]*)?\``).test(firstColumn);
    });
    expect(missing).toEqual([]);
  });

  it('names every option `npm start` takes, and no other, as its usage line gives them', () => {
    // The usage line is what `npm start` prints with a bad command line (and --help besides).
    const usage = /const USAGE =\s*'([^']+)'/.exec(
      fs.readFileSync(path.join(ROOT, 'scripts', 'start.ts'), 'utf8'),
    )?.[1];
    expect(usage).toMatch(/^Usage: npm start -- /);
    const taken = new Set([...(usage ?? '').matchAll(/\[(--[\w-]+)/g)].map(([, option]) => option));
    expect(taken.size).toBeGreaterThan(5);
    const table = commands.map((row) => row.join(' | ')).join('\n');
    expect([...taken].filter((option) => !table.includes(`${option}`))).toEqual([]);
    const rowsOptions = commands
      .map(([command]) => /^`npm start -- (--[\w-]+)/.exec(command)?.[1])
      .filter((option): option is string => option !== undefined);
    expect(rowsOptions.filter((option) => option !== '--help' && !taken.has(option))).toEqual([]);
  });

  it('says each local part records only metrics and dimensions of the catalogue', () => {
    const rows = table('| local part | namespace: metrics, dimensions |');
    expect(rows.length).toBe(5);
    const wrong = rows.flatMap(([part, cell]) => {
      const [namespace, ...tokens] = [...cell.matchAll(/`([^`]+)`/g)].map(([, token]) => token);
      const specs = AWS_METRICS.filter((spec) => spec.namespace === namespace);
      if (specs.length === 0) return [`${part}: ${namespace}`];
      const known = new Set([
        ...specs.map((spec) => spec.name),
        ...specs.flatMap((spec) => spec.dimensions),
        // The value CloudFront's metrics carry in their Region dimension.
        'Global',
      ]);
      return tokens
        .flatMap((token) => {
          // `ConsumedRead/WriteCapacityUnits`: both metrics.
          const pair = /^(\w*)Read\/Write(\w*)$/.exec(token);
          return pair === null
            ? [token]
            : [`${pair[1]}Read${pair[2]}`, `${pair[1]}Write${pair[2]}`];
        })
        .filter((token) => /^\w+$/.test(token) && !known.has(token))
        .map((token) => `${part}: ${token}`);
    });
    expect(wrong).toEqual([]);
  });
});
