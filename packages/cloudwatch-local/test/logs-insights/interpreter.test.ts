import { DEFAULT_LIMIT } from '../../src/logs-insights/parser';
import { column, json, run, T0, text } from './events';

const MINUTE = 60_000;

describe('Logs Insights: the system fields and the fields discovered in JSON', () => {
  it('shows @timestamp and @message when the query names no fields, newest first', () => {
    const events = [text(0, 'first'), text(MINUTE, 'second')];

    const result = run('filter @message like "s"', events);

    expect(result.columns).toEqual(['@timestamp', '@message']);
    expect(result.rows).toEqual([
      { '@timestamp': '2024-05-19 06:01:00.000', '@message': 'second' },
      { '@timestamp': '2024-05-19 06:00:00.000', '@message': 'first' },
    ]);
  });

  it('flattens nested JSON with dots and arrays with indexes', () => {
    const events = [json(0, { error: { name: 'Boom', codes: [7, { id: 'x' }] } })];

    const result = run('fields error.name, error.codes.0, error.codes.1.id', events);

    expect(result.rows).toEqual([
      { 'error.name': 'Boom', 'error.codes.0': '7', 'error.codes.1.id': 'x' },
    ]);
  });

  it('adds an @ to a discovered field whose name starts with @, so it cannot shadow a system field', () => {
    const events = [json(0, { '@timestamp': 'from the app', '@example.com': 'x' })];

    const result = run('fields @timestamp, @@timestamp, @@example.com', events);

    expect(result.rows).toEqual([
      {
        '@timestamp': '2024-05-19 06:00:00.000',
        '@@timestamp': 'from the app',
        '@@example.com': 'x',
      },
    ]);
  });

  it('shows booleans as 1 and 0, and leaves a JSON null out', () => {
    const events = [json(0, { cold_start: true, warm: false, nothing: null })];

    const result = run(
      'fields cold_start, warm, nothing, ispresent(nothing) as hasNothing',
      events,
    );

    expect(result.rows).toEqual([{ cold_start: '1', warm: '0', hasNothing: '0' }]);
  });

  it('discovers nothing in a message that is not a JSON object', () => {
    const events = [text(0, 'level=ERROR not json'), text(1, '[1, 2]')];

    const result = run('fields ispresent(level) as a, ispresent(`0`) as b', events);

    expect(column(result, 'a')).toEqual(['0', '0']);
    expect(column(result, 'b')).toEqual(['0', '0']);
  });

  it('extracts at most 1000 fields from one JSON event', () => {
    const wide = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`f${i}`, i]));

    const result = run('fields f999, f1000', [json(0, wide)]);

    expect(result.rows).toEqual([{ f999: '999' }]);
  });

  it('shows @logStream and @log when the event has them', () => {
    const events = [{ '@timestamp': T0, '@message': 'm', '@logStream': 's', '@log': '0:g' }];

    expect(run('fields @logStream, @log', events).rows).toEqual([
      { '@logStream': 's', '@log': '0:g' },
    ]);
  });
});

describe('Logs Insights: fields and display', () => {
  const events = [
    json(0, { Operation: 'Put', StatusCode: 200, name: 'ÄBC', emoji: 'a😀' }),
    json(1, { Operation: 'Get', alt: 'fallback', name: 'x' }),
  ];

  it('shows the named fields, leaving out of a row the fields it lacks', () => {
    const result = run('fields Operation, StatusCode', events);

    expect(result.columns).toEqual(['Operation', 'StatusCode']);
    expect(result.rows).toEqual([{ Operation: 'Get' }, { Operation: 'Put', StatusCode: '200' }]);
  });

  it('computes concat, strlen (code points), tolower, toupper and coalesce, named by alias or by their text', () => {
    const result = run(
      "fields concat(Operation, '-', StatusCode) as opStatus, strlen(emoji), tolower(name) as lower, toupper(name) as upper, coalesce(StatusCode, alt) as either",
      events,
    );

    expect(result.columns).toEqual(['opStatus', 'strlen(emoji)', 'lower', 'upper', 'either']);
    expect(result.rows).toEqual([
      { opStatus: 'Get-', lower: 'x', upper: 'X', either: 'fallback' },
      { opStatus: 'Put-200', 'strlen(emoji)': '2', lower: 'äbc', upper: 'ÄBC', either: '200' },
    ]);
  });

  it('shows the fields of every fields command when there is no display', () => {
    const result = run('fields Operation | fields StatusCode, Operation', events);

    expect(result.columns).toEqual(['Operation', 'StatusCode']);
  });

  it('shows only the last display, which may compute a field', () => {
    const result = run(
      'fields Operation | display StatusCode | display Operation, Operation = "Put" as isPut',
      events,
    );

    expect(result.columns).toEqual(['Operation', 'isPut']);
    expect(result.rows).toEqual([
      { Operation: 'Get', isPut: '0' },
      { Operation: 'Put', isPut: '1' },
    ]);
  });

  it('lets later commands use a field that fields created', () => {
    const result = run(
      'fields strlen(Operation) as n, Operation | filter n > 2 and Operation != "Get"',
      events,
    );

    expect(column(result, 'Operation')).toEqual(['Put']);
  });

  it('reads a field whose name needs backticks', () => {
    const result = run('fields `foo-bar`', [json(0, { 'foo-bar': 'baz' })]);

    expect(result.rows).toEqual([{ 'foo-bar': 'baz' }]);
  });
});

describe('Logs Insights: filter', () => {
  const events = [
    json(0, { status: 200, route: 'GET /messages', message: 'request', user: 'Alice' }),
    json(1, { status: 404, route: 'GET /messages/{id}', message: 'request rejected' }),
    json(2, {
      status: 500,
      route: 'POST /messages',
      message: 'NullPointerException thrown',
      code: '',
    }),
    json(3, { status: '503', route: 'POST /messages', message: 'exception: timeout', code: '  ' }),
  ];
  const statuses = (query: string) =>
    column(run(`${query} | fields status | sort status asc`, events), 'status');

  it.each([
    ['status = 404', ['404']],
    ['status != 404', ['200', '500', '503']],
    ['status < 404', ['200']],
    ['status <= 404', ['200', '404']],
    ['status > 404', ['500', '503']],
    ['status >= 500', ['500', '503']],
  ])('compares numbers: filter %s', (condition, expected) => {
    expect(statuses(`filter ${condition}`)).toEqual(expected);
  });

  it('compares numerically when both sides are numbers, even a number held in a string', () => {
    expect(statuses('filter status = "503"')).toEqual(['503']);
    expect(statuses('filter status > 1000')).toEqual([]);
    expect(statuses('filter status > "60"')).toEqual(['200', '404', '500', '503']);
  });

  it('compares strings as strings', () => {
    expect(statuses('filter route = "POST /messages"')).toEqual(['500', '503']);
    expect(statuses('filter route < "GET /messages/"')).toEqual(['200']);
  });

  it('matches a substring with like "…", case-sensitively', () => {
    expect(statuses('filter message like "Exception"')).toEqual(['500']);
    expect(statuses('filter message =~ "request"')).toEqual(['200', '404']);
  });

  it('matches a regex with like /…/ and =~ /…/, case-insensitively with (?i)', () => {
    expect(statuses('filter message like /Exception/')).toEqual(['500']);
    expect(statuses('filter message like /(?i)exception/')).toEqual(['500', '503']);
    expect(statuses('filter route =~ /^POST/')).toEqual(['500', '503']);
    expect(statuses('filter message =~ /^(?i)REQUEST$/')).toEqual(['200']);
  });

  it('negates with not like', () => {
    expect(statuses('filter message not like /(?i)exception/')).toEqual(['200', '404']);
  });

  it('tests membership with in and not in, numbers against numbers and strings whole', () => {
    expect(statuses('filter status in [404, 503]')).toEqual(['404', '503']);
    expect(statuses('filter status not in [404, 503]')).toEqual(['200', '500']);
    expect(statuses('filter route in ["POST /messages", "GET"]')).toEqual(['500', '503']);
  });

  it('combines with and, or, not and parentheses, and before or', () => {
    expect(statuses('filter status = 200 or status = 404 and message = "nope"')).toEqual(['200']);
    expect(statuses('filter (status = 200 or status = 404) and message = "nope"')).toEqual([]);
    expect(statuses('filter not status = 200 and not (status >= 500)')).toEqual(['404']);
  });

  it('tests a field with ispresent, isempty and isblank', () => {
    expect(statuses('filter ispresent(user)')).toEqual(['200']);
    expect(statuses('filter not ispresent(code)')).toEqual(['200', '404']);
    expect(statuses('filter isempty(code)')).toEqual(['200', '404', '500']);
    expect(statuses('filter isblank(code)')).toEqual(['200', '404', '500', '503']);
  });

  it('treats a comparison with a missing field as false, whatever the operator', () => {
    expect(statuses('filter user != "Bob"')).toEqual(['200']);
    expect(statuses('filter user not in ["Bob"]')).toEqual(['200']);
    expect(statuses('filter not (user = "Bob")')).toEqual(['200', '404', '500', '503']);
  });

  it('filters on a field that holds a condition', () => {
    expect(statuses('fields status >= 500 as failed | filter failed')).toEqual(['500', '503']);
  });
});

describe('Logs Insights: sort and limit', () => {
  const events = [
    json(0, { name: 'b', size: 2 }),
    json(1, { name: 'a', size: 10 }),
    json(2, { name: 'b', size: 1 }),
    json(3, { size: 5 }),
  ];

  it('sorts ascending and descending, missing values last either way', () => {
    expect(column(run('sort size asc | fields size', events), 'size')).toEqual([
      '1',
      '2',
      '5',
      '10',
    ]);
    expect(column(run('sort size desc | fields size', events), 'size')).toEqual([
      '10',
      '5',
      '2',
      '1',
    ]);
    expect(column(run('sort name asc | fields name', events), 'name')).toEqual(['a', 'b', 'b', '']);
    expect(column(run('sort name desc | fields name', events), 'name')).toEqual([
      'b',
      'b',
      'a',
      '',
    ]);
  });

  it('sorts by several keys, descending when no order is given', () => {
    const result = run('sort name asc, size | fields name, size', events);

    expect(result.rows).toEqual([
      { name: 'a', size: '10' },
      { name: 'b', size: '2' },
      { name: 'b', size: '1' },
      { size: '5' },
    ]);
  });

  it('sorts @timestamp by time', () => {
    const result = run('sort @timestamp asc | fields size', events);

    expect(column(result, 'size')).toEqual(['2', '10', '1', '5']);
  });

  it('returns the first N rows after limit N', () => {
    expect(run('sort size asc | limit 2 | fields size', events).rows).toEqual([
      { size: '1' },
      { size: '2' },
    ]);
  });

  it(`returns at most ${DEFAULT_LIMIT} rows when the query has no limit`, () => {
    const many = Array.from({ length: DEFAULT_LIMIT + 1 }, (_, i) => text(i, `event ${i}`));

    expect(run('fields @message', many).rows).toHaveLength(DEFAULT_LIMIT);
    expect(run('fields @message | limit 10001', many).rows).toHaveLength(DEFAULT_LIMIT + 1);
  });
});

describe('Logs Insights: stats', () => {
  const events = [
    json(0, { route: 'GET', latencyMs: 10, user: 'a' }),
    json(MINUTE, { route: 'GET', latencyMs: 30, user: 'b' }),
    json(2 * MINUTE, { route: 'POST', latencyMs: 20, user: 'a' }),
    json(6 * MINUTE, { route: 'POST', user: 'a' }),
    json(7 * MINUTE, { route: 'POST', latencyMs: 'n/a' }),
  ];

  it('counts all events with count() and count(*), and those with the field with count(field)', () => {
    const result = run('stats count(), count(*), count(latencyMs), count_distinct(user)', events);

    expect(result.columns).toEqual([
      'count()',
      'count(*)',
      'count(latencyMs)',
      'count_distinct(user)',
    ]);
    expect(result.rows).toEqual([
      { 'count()': '5', 'count(*)': '5', 'count(latencyMs)': '4', 'count_distinct(user)': '2' },
    ]);
  });

  it('sums, averages and takes percentiles of the numbers, min and max in the order of sort (non-numbers first)', () => {
    const result = run(
      'stats sum(latencyMs) as total, avg(latencyMs), min(latencyMs), max(latencyMs), pct(latencyMs, 50), pct(latencyMs, 99)',
      events,
    );

    expect(result.rows).toEqual([
      {
        total: '60',
        'avg(latencyMs)': '20',
        'min(latencyMs)': 'n/a',
        'max(latencyMs)': '30',
        'pct(latencyMs, 50)': '20',
        'pct(latencyMs, 99)': '30',
      },
    ]);
  });

  it('takes the nearest rank for a percentile, never a value between two', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((v, i) => json(i, { v }));

    const result = run('stats pct(v, 0), pct(v, 25), pct(v, 90), pct(v, 95), pct(v, 100)', values);

    expect(Object.values(result.rows[0])).toEqual(['1', '3', '9', '10', '10']);
  });

  it('groups by fields, one row per combination, ordered by the keys', () => {
    const result = run('stats count(*) as n by route, user', events);

    expect(result.columns).toEqual(['route', 'user', 'n']);
    expect(result.rows).toEqual([
      { route: 'GET', user: 'a', n: '1' },
      { route: 'GET', user: 'b', n: '1' },
      { route: 'POST', user: 'a', n: '2' },
      { route: 'POST', n: '1' },
    ]);
  });

  it('groups by bin(5m): @timestamp truncated to 5 minutes, the column named bin(5m)', () => {
    const result = run('stats avg(latencyMs), count(*) by bin(5m)', events);

    expect(result.columns).toEqual(['bin(5m)', 'avg(latencyMs)', 'count(*)']);
    expect(result.rows).toEqual([
      { 'bin(5m)': '2024-05-19 06:00:00.000', 'avg(latencyMs)': '20', 'count(*)': '3' },
      { 'bin(5m)': '2024-05-19 06:05:00.000', 'count(*)': '2' },
    ]);
  });

  it.each([
    ['500ms', '2024-05-19 06:00:01.500'],
    ['30s', '2024-05-19 06:00:00.000'],
    ['2mins', '2024-05-19 06:00:00.000'],
    ['1h', '2024-05-19 06:00:00.000'],
    ['3hrs', '2024-05-19 06:00:00.000'],
    ['1d', '2024-05-19 00:00:00.000'],
    ['1mo', '2024-05-01 00:00:00.000'],
    ['1q', '2024-04-01 00:00:00.000'],
    ['1y', '2024-01-01 00:00:00.000'],
  ])('truncates to bin(%s)', (period, expected) => {
    const result = run(`stats count(*) by bin(${period})`, [json(1_700, {})]);

    expect(result.rows[0][`bin(${period})`]).toBe(expected);
  });

  it('names a bin with as, and sorts by an aggregate through its alias', () => {
    const result = run('stats count(*) as n by bin(5m) as t | sort n desc', events);

    expect(result.rows).toEqual([
      { t: '2024-05-19 06:00:00.000', n: '3' },
      { t: '2024-05-19 06:05:00.000', n: '2' },
    ]);
  });

  it('lets filter, sort and limit work on the rows stats made', () => {
    const result = run('stats count(*) as n by user | filter n > 1 | limit 5', events);

    expect(result.rows).toEqual([{ user: 'a', n: '3' }]);
  });

  it('gives one row with count 0 over no events, and no rows when grouping nothing', () => {
    expect(run('stats count(*), avg(x)', []).rows).toEqual([{ 'count(*)': '0' }]);
    expect(run('stats count(*) by bin(5m)', []).rows).toEqual([]);
  });
});

describe('Logs Insights: parse', () => {
  const events = [
    text(0, 'user=alice, method:GET, latency := 12'),
    text(1, 'user=bob, method:POST, latency := 30'),
    text(2, 'something else'),
  ];

  it('extracts fields with a glob, one name per *', () => {
    const result = run(
      'parse @message "user=*, method:*, latency := *" as u, m, l | fields u, m, l',
      events,
    );

    expect(result.rows).toEqual([
      {},
      { u: 'bob', m: 'POST', l: '30' },
      { u: 'alice', m: 'GET', l: '12' },
    ]);
  });

  it('extracts fields with a regex with named groups', () => {
    const result = run('parse @message /user=(?<u>\\w+), method:(?<m>\\w+)/ | fields u, m', events);

    expect(result.rows).toEqual([{}, { u: 'bob', m: 'POST' }, { u: 'alice', m: 'GET' }]);
  });

  it('keeps an event that does not match, without the extracted fields', () => {
    const result = run('parse @message "user=*," as u', events);

    expect(result.rows).toHaveLength(3);
    expect(
      column(run('parse @message "user=*," as u | filter not ispresent(u)', events), '@message'),
    ).toEqual(['something else']);
  });

  it('compares and aggregates extracted values as numbers', () => {
    const result = run('parse @message "latency := *" as l | filter l > 20 | stats sum(l)', events);

    expect(result.rows).toEqual([{ 'sum(l)': '30' }]);
  });

  it('parses a discovered field, not only @message', () => {
    const result = run('parse path "/messages/*" as id | fields id', [
      json(0, { path: '/messages/m-1' }),
    ]);

    expect(result.rows).toEqual([{ id: 'm-1' }]);
  });
});
