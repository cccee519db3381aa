/**
 * docs/local-logs-insights.md's table of budgets restates the query runner's defaults and the
 * parser's largest `limit`; docs/local-and-monitoring.md gives a log group's memory budget. A
 * budget changed in code fails here until the pages say so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEFAULT_GROUP_BUDGET_BYTES,
  MAX_LIMIT,
  DEFAULT_QUERY_BUDGETS,
} from '@monitored/cloudwatch-local';

const docs = (name: string) =>
  fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', name), 'utf8');
const MIB = 1024 * 1024;

describe("docs/local-logs-insights.md's budgets", () => {
  const page = docs('local-logs-insights.md');
  const HEADER = '| budget | default | past it |';
  const defaults = new Map<string, string>();
  for (const line of page
    .slice(page.indexOf(`${HEADER}\n`) + HEADER.length + 1)
    .split('\n')
    .slice(1)) {
    if (!line.startsWith('|')) break;
    const [budget, value] = line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
    defaults.set(budget, value);
  }

  it("are the query runner's defaults and the parser's largest limit", () => {
    const { timeMs, memoryMb, resultBytes, concurrent, queued } = DEFAULT_QUERY_BUDGETS;
    expect(defaults.get('time on the worker')).toBe(`${timeMs / 1000} s`);
    expect(defaults.get("the worker's heap")).toBe(`${memoryMb} MiB`);
    expect(defaults.get('the answer')).toBe(`${resultBytes / MIB} MiB of JSON`);
    expect(defaults.get('queries at once')).toBe(`${concurrent} running, ${queued} waiting`);
    expect(defaults.get('`limit`')).toBe(
      `${MAX_LIMIT.toLocaleString('en-US')} (Logs Insights' own)`,
    );
  });

  it("give a log group's memory budget as the log store keeps it", () => {
    expect(docs('local-and-monitoring.md').replace(/\s+/g, ' ')).toContain(
      `at most ${DEFAULT_GROUP_BUDGET_BYTES / MIB} MiB, the oldest lines dropped first`,
    );
  });
});
