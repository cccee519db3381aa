import { parseQuery } from '../../src/logs-insights/parser';
import { QueryError } from '../../src/logs-insights/query-error';

function parseError(query: string): QueryError {
  try {
    parseQuery(query);
  } catch (e: unknown) {
    if (e instanceof QueryError) return e;
    throw e;
  }
  throw new Error(`parsed without an error: ${query}`);
}

describe('Logs Insights parser: the accepted forms', () => {
  it('reads the dashboard form: SOURCE groups, then commands separated by \\n|', () => {
    const query = parseQuery(
      'SOURCE \'group-a\' | SOURCE "group-b" | fields a, b \n| filter a = 1',
    );

    expect(query.sources).toEqual(['group-a', 'group-b']);
    expect(query.commands.map((command) => command.kind)).toEqual(['fields', 'filter']);
  });

  it('reads a query without SOURCE, and one with SOURCE only', () => {
    expect(parseQuery('fields a').sources).toEqual([]);
    expect(parseQuery("SOURCE '/aws/lambda/x'")).toEqual({
      text: "SOURCE '/aws/lambda/x'",
      sources: ['/aws/lambda/x'],
      commands: [],
    });
  });

  it('takes commands and keywords in any case, field names as written', () => {
    const query = parseQuery(
      'FIELDS Level AS L | Filter L IN ["x"] AND NOT L Like "y" | SORT L DESC',
    );

    expect(query.commands).toMatchObject([
      { kind: 'fields', items: [{ name: 'L', expr: { kind: 'field', name: 'Level' } }] },
      { kind: 'filter', condition: { kind: 'and' } },
      { kind: 'sort', keys: [{ field: 'L', descending: true }] },
    ]);
  });

  it('reads plain, dotted, @ and backticked field names', () => {
    const query = parseQuery(
      'fields @timestamp, error.name, correlation_id, items.0.id, `foo-bar`, `a b`',
    );

    expect(query.commands).toMatchObject([
      {
        kind: 'fields',
        items: ['@timestamp', 'error.name', 'correlation_id', 'items.0.id', 'foo-bar', 'a b'].map(
          (name) => ({
            name,
            expr: { kind: 'field', name },
          }),
        ),
      },
    ]);
  });

  it('names unaliased columns as written, aliased ones by their alias', () => {
    const query = parseQuery(
      'stats avg(latencyMs), pct(latencyMs, 99), count(*), count() as n by bin(5m), route',
    );

    expect(query.commands).toMatchObject([
      {
        kind: 'stats',
        aggregations: [
          { fn: 'avg', name: 'avg(latencyMs)' },
          { fn: 'pct', name: 'pct(latencyMs, 99)', percentile: 99 },
          { fn: 'count', name: 'count(*)', arg: undefined },
          { fn: 'count', name: 'n', arg: undefined },
        ],
        groupBy: [
          {
            name: 'bin(5m)',
            expr: { kind: 'bin', period: { unit: 'fixed', milliseconds: 300_000 } },
          },
          { name: 'route' },
        ],
      },
    ]);
  });

  it('binds and tighter than or, and not tighter than and', () => {
    const [filter] = parseQuery('filter not a = 1 and b = 2 or c = 3').commands;

    expect(filter).toMatchObject({
      kind: 'filter',
      condition: {
        kind: 'or',
        left: {
          kind: 'and',
          left: { kind: 'not', operand: { kind: 'compare' } },
          right: { kind: 'compare' },
        },
        right: { kind: 'compare', op: '=' },
      },
    });
  });

  it('reads strings with escapes, negative numbers and regexes with a / inside a class or escaped', () => {
    const [filter] = parseQuery(
      'filter a = "say \\"hi\\"" or b in [-1, 2.5] or c like /[/]x\\/y/',
    ).commands;

    expect(filter).toMatchObject({
      condition: {
        left: {
          left: { right: { kind: 'literal', value: 'say "hi"' } },
          right: { values: [{ value: -1 }, { value: 2.5 }] },
        },
        right: { kind: 'match', pattern: { regex: { source: '[/]x\\/y' } } },
      },
    });
  });

  it('reads (?i) anywhere, as Hyperscan does, and (?P<name>) as a named group', () => {
    const [first, second, third] = parseQuery(
      'filter a like /^(?i)error$/ | parse @message /id=(?P<id>\\d+)/ | filter b like /x(?i)y/',
    ).commands;

    const regexOf = (command: typeof first) =>
      command.kind === 'filter' &&
      command.condition.kind === 'match' &&
      'regex' in command.condition.pattern
        ? command.condition.pattern.regex
        : undefined;
    expect(regexOf(first)?.test('ERROR')).toBe(true);
    expect(regexOf(third)?.test('xY')).toBe(true);
    expect(regexOf(third)?.test('Xy')).toBe(false);
    expect(second).toMatchObject({ kind: 'parse', names: ['id'] });
    expect(second.kind === 'parse' && second.pattern.exec('id=42')?.groups).toEqual({ id: '42' });
  });

  it('skips comment lines, indented or not', () => {
    const query = parseQuery('# errors\nfields a\n    # | filter a = 1\n| limit 5');

    expect(query.commands.map((command) => command.kind)).toEqual(['fields', 'limit']);
  });
});

describe('Logs Insights parser: an error names what is outside the subset, and where', () => {
  it.each([
    'dedup',
    'unmask',
    'filterIndex',
    'pattern',
    'diff',
    'unnest',
    'lookup',
    'anomaly',
    'addtotals',
    'join',
  ])('refuses the command %s', (command) => {
    const error = parseError(`fields @message\n| ${command} x`);

    expect(error.message).toContain(`command "${command}" is outside the supported subset`);
    expect([error.line, error.column]).toEqual([2, 3]);
  });

  it('points a deprecated head or tail at limit, and names an unknown command', () => {
    expect(parseError('fields a | head 5').message).toContain(
      '"head" is deprecated in Logs Insights; use limit',
    );
    expect(parseError('fields a | frobnicate').message).toContain('unknown command "frobnicate"');
  });

  it.each([
    ['fields abs(x)', 'function abs() is outside the supported subset', 8],
    ['filter substr(x, 1) = "a"', 'function substr() is outside the supported subset', 8],
    ['fields frob(x)', 'unknown function frob()', 8],
    ['filter count(*) > 1', 'aggregation function count() is only valid in stats', 8],
    ['stats stddev(x)', 'function stddev() is outside the supported subset', 7],
    ['stats earliest(x)', 'function earliest() is outside the supported subset', 7],
    ['stats level', 'stats takes aggregation functions', 7],
    ['stats ispresent(x)', 'stats takes aggregation functions', 7],
  ])('refuses a function: %s', (query, problem, column) => {
    const error = parseError(query);

    expect(error.message).toContain(problem);
    expect(error.column).toBe(column);
  });

  it.each([
    ['filter a + 1 > 2', 'arithmetic (+) is outside the supported subset'],
    ['fields a * 2 as b', 'arithmetic (*) is outside the supported subset'],
    ['stats max(@memorySize / 1024)', 'arithmetic (/) is outside the supported subset'],
    ['filter a == 1', 'expected a field, a value or a function, found "="'],
    [
      'filter a = 1 | stats count(*) | stats count(*)',
      'a second stats command is outside the supported subset',
    ],
    ['stats count(*) by bin(5m) offset 1h', 'bin() offset is outside the supported subset'],
    ['limit any 5', '"limit any" is outside the supported subset'],
  ])('refuses an operator or form: %s', (query, problem) => {
    expect(parseError(query).message).toContain(problem);
  });

  it('refuses the CLI/API SOURCE, and SOURCE after a command', () => {
    expect(parseError("SOURCE logGroups(namePrefix: ['/aws']) | fields a").message).toContain(
      'SOURCE logGroups(...) (the CLI/API form) is outside the supported subset',
    );
    expect(parseError("fields a | SOURCE 'g'").message).toContain(
      'SOURCE must come before every other command',
    );
  });

  it.each([
    ['limit 0', 'limit needs a whole number from 1 to 100000'],
    ['limit 100001', 'limit needs a whole number from 1 to 100000'],
    ['limit 2.5', 'limit needs a whole number from 1 to 100000'],
    ['stats count(*) by bin(1w)', 'bin() by weeks is outside the supported subset'],
    ['stats count(*) by bin(5x)', 'unknown time unit "x" in 5x'],
    ['stats count(*) by bin(ds)', 'bin() takes a period such as 5m'],
    ['stats count(*) by bin(2ds)', 'unknown time unit "ds"'],
    ['stats count(*) by bin(0m)', 'bin() needs a whole number of units'],
    ['fields 5m', 'a time period such as 5m is only valid inside bin()'],
    ['stats pct(x)', 'pct() takes a field and a percentile'],
    ['stats pct(x, 101)', 'pct() needs a percentile from 0 to 100'],
    ['stats count(*), count(*)', 'stats yields two columns named "count(*)"'],
    ['stats count(*) by x | sort count(*) desc', 'sort takes a field name'],
    ['filter 1', 'filter needs a condition'],
    ['filter concat(a, b)', 'filter needs a condition'],
    ['filter a in 1', 'in takes a list'],
    ['filter a in [b]', 'the list after in holds strings and numbers, found b'],
    ['filter a like b', 'like and =~ take a "substring" or a /regex/'],
    ['fields ispresent("a")', 'ispresent() takes a field name'],
    ['fields strlen(a, b)', 'strlen() takes 1 argument(s), found 2'],
  ])('refuses a malformed argument: %s', (query, problem) => {
    expect(parseError(query).message).toContain(problem);
  });

  it.each([
    ['filter a like /(?i)x/i', 'flags after a regular expression are not Logs Insights syntax'],
    ['filter a like /(?U)x/', 'the (?U) flag is not Logs Insights syntax'],
    ['filter a like /(?x) a b/', 'the (?x) flag (extended syntax) is not supported locally'],
    ['filter a like /(a)\\1/', 'invalid regular expression /(a)\\1/: invalid escape sequence'],
    ['filter a like /(?=a)b/', 'the local engine is RE2: no backreferences, lookaround'],
    ['filter a like /a{1001}/', 'invalid repeat count'],
    ['filter a like /(unclosed/', 'invalid regular expression /(unclosed/'],
    ['filter a like /unterminated', 'unterminated regular expression'],
    ['parse @message "a * b *" as x', 'the parse glob has 2 * but 1 name(s) follow "as"'],
    ['parse @message "a *"', 'a parse glob needs "as"'],
    ['parse @message /a(.*)/', 'a parse regex needs named groups'],
    ['parse @message 5', 'parse needs a "glob" or a /regex/'],
  ])('refuses a bad pattern: %s', (query, problem) => {
    expect(parseError(query).message).toContain(problem);
  });

  it.each([
    ['', 'the query is empty'],
    ['   # only a comment', 'the query is empty'],
    ['fields a |', 'expected a command after |'],
    ['fields a b', 'expected | or the end of the query, found "b"'],
    ['filter a = "open', 'unterminated string'],
    ['fields `open', 'unterminated `field name`'],
    ['fields a # not a comment', 'unexpected character "#"'],
    ['| fields a', 'expected a command, found "|"'],
    ["SOURCE ''", 'SOURCE names an empty log group'],
    ['SOURCE group', 'expected a quoted log group name after SOURCE'],
  ])('refuses malformed text: %j', (query, problem) => {
    expect(parseError(query).message).toContain(problem);
  });

  it('gives the line and column of the problem in a multi-line query', () => {
    const error = parseError("SOURCE 'g' | fields a\n| filter a = 1\n|   stats avg(b) by bin(3w)");

    expect(error.message).toBe(
      'Logs Insights query, line 3 column 25: bin() by weeks is outside the supported subset (AWS does not document where a week starts)',
    );
  });
});
