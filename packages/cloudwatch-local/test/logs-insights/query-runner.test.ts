/**
 * The budgets of a Logs Insights query on its worker (query-runner.ts), each ending the query with
 * an answer that names it. Time and cancellation are tested through the monitor, from another
 * process: test/local/monitoring/logs-query-budget.test.ts.
 */
import { InMemoryLogStore } from '../../src/logs-insights/log-store';
import type { QueryAnswer } from '../../src/logs-insights/query-answer';
import { QueryRunner, type QueryRunnerOptions } from '../../src/logs-insights/query-runner';
import { T0, text } from './events';

const GROUP = '/aws/lambda/msgs-dev-api';
const runners: QueryRunner[] = [];
afterEach(() => Promise.all(runners.splice(0).map((runner) => runner.close())));

function runner(options: QueryRunnerOptions): QueryRunner {
  const made = new QueryRunner(options);
  runners.push(made);
  return made;
}

function storeOf(lines: number, message: (i: number) => string): InMemoryLogStore {
  const store = new InMemoryLogStore();
  for (let i = 0; i < lines; i += 1) store.append(GROUP, text(i, message(i)));
  return store;
}

const request = (store: InMemoryLogStore, query: string) => ({
  query,
  logGroups: [GROUP],
  start: T0,
  end: T0 + 10_000_000,
  snapshot: store.snapshot(),
});

const bodyOf = (answer: QueryAnswer): unknown =>
  answer.ok ? JSON.parse(Buffer.from(answer.body).toString('utf8')) : answer;

describe('QueryRunner', () => {
  it('answers on a worker with the JSON the monitor sends', async () => {
    const store = storeOf(3, (i) => JSON.stringify({ n: i }));

    const answer = await runner({}).run(request(store, 'stats sum(n) as total'));

    expect(bodyOf(answer)).toEqual({
      start: T0,
      end: T0 + 10_000_000,
      columns: ['total'],
      rows: [{ total: '3' }],
    });
  });

  it('refuses a query, and runs the next one on the same worker', async () => {
    const store = storeOf(1, () => 'x');
    const queries = runner({});

    expect(await queries.run(request(store, 'filter a like /(a)\\1/'))).toMatchObject({
      ok: false,
      status: 400,
      code: 'QUERY_ERROR',
      message: expect.stringContaining('invalid regular expression'),
    });
    expect(bodyOf(await queries.run(request(store, 'fields @message')))).toMatchObject({
      rows: [{ '@message': 'x' }],
    });
  });

  it('ends a query that needs more than its memory budget, naming it', async () => {
    const store = storeOf(200_000, (i) => `distinct line ${i} ${'x'.repeat(100)}`);

    const answer = await runner({ memoryMb: 16 }).run(
      request(store, 'stats count(*) by @message | limit 10'),
    );

    expect(answer).toMatchObject({
      ok: false,
      status: 422,
      code: 'QUERY_BUDGET_EXCEEDED',
      message: expect.stringContaining('more than its memory budget of 16 MiB'),
    });
  });

  it('refuses an answer over its size budget, naming it', async () => {
    const store = storeOf(100, (i) => `line ${i} ${'x'.repeat(100)}`);

    const answer = await runner({ resultBytes: 4096 }).run(request(store, 'fields @message'));

    expect(answer).toMatchObject({
      ok: false,
      status: 422,
      code: 'QUERY_BUDGET_EXCEEDED',
      message: expect.stringContaining('over the result budget of 4 KiB'),
    });
  });

  it('refuses a query beyond those running and waiting with a 429, and ends the rest at close', async () => {
    const store = storeOf(200, () => `${'a'.repeat(20_000)}b`);
    const heavy = request(store, 'parse @message /(?<x>(.*a){20})/ | stats count(*) by x');
    const queries = runner({ concurrent: 1, queued: 1 });

    const running = queries.run(heavy);
    const waiting = queries.run(heavy);
    const refused = await queries.run(heavy);
    await queries.close();

    expect(refused).toMatchObject({ ok: false, status: 429, code: 'TOO_MANY_QUERIES' });
    expect(await waiting).toMatchObject({ ok: false, status: 503 });
    expect(await running).toMatchObject({ ok: false, status: 503 });
  });
});
