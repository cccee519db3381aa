import { consoleLink, linkWithReference, parseConsoleLink } from '../src/console-links';

describe('console links', () => {
  it('writes the Logs Insights link the console itself writes', () => {
    // The form the console produces (and AWS's own alarm emails carry): `$3F`/`$3D` for ?/=, JSURL
    // inside, with `*XX` escapes (space *20, quote *22, | *7c, / *2f, : *3a, @ *40, newline *0a).
    const link = consoleLink.logsInsights({
      region: 'us-east-1',
      logGroups: ['/aws/lambda/msgs-prod-api'],
      query: 'fields @timestamp\n| filter level = "ERROR"',
      lookBackSeconds: 3600,
    });
    expect(link).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:logs-insights' +
        "$3FqueryDetail$3D~(end~0~start~-3600~timeType~'RELATIVE~unit~'seconds" +
        "~editorString~'fields*20*40timestamp*0a*7c*20filter*20level*20*3d*20*22ERROR*22" +
        "~source~(~'*2faws*2flambda*2fmsgs-prod-api))",
    );
  });

  it('reads every kind of link back', () => {
    const query =
      'filter caller_correlation_id like /^canary-msgs-dev-api-/ | sort @timestamp desc';
    const groups = ['/aws/lambda/msgs-dev-api', '/aws/apigateway/msgs-dev-api'];
    expect(
      parseConsoleLink(consoleLink.logsInsights({ region: 'us-west-2', logGroups: groups, query })),
    ).toEqual({
      kind: 'logsInsights',
      region: 'us-west-2',
      logGroups: groups,
      query,
      lookBackSeconds: 3 * 3600,
    });
    expect(parseConsoleLink(consoleLink.alarm('us-west-2', 'msgs-dev-site-down'))).toEqual({
      kind: 'alarm',
      region: 'us-west-2',
      name: 'msgs-dev-site-down',
    });
    expect(parseConsoleLink(consoleLink.dashboard('us-west-2', 'msgs-dev'))).toMatchObject({
      kind: 'dashboard',
      name: 'msgs-dev',
    });
    expect(parseConsoleLink(consoleLink.canary('us-east-1', 'msgs-prod-api'))).toMatchObject({
      kind: 'canary',
      name: 'msgs-prod-api',
    });
    expect(
      parseConsoleLink(consoleLink.logGroup('us-east-1', '/aws/lambda/msgs-prod-api')),
    ).toMatchObject({
      kind: 'logGroup',
      name: '/aws/lambda/msgs-prod-api',
    });
  });

  it("writes a log group's slashes as the console does ($252F)", () => {
    expect(consoleLink.logGroup('us-east-1', '/aws/lambda/cwsyn-x')).toMatch(
      /#logsV2:log-groups\/log-group\/\$252Faws\$252Flambda\$252Fcwsyn-x$/,
    );
  });

  it('puts an encoded reference where the name goes, wherever the link puts it', () => {
    const link = linkWithReference(
      (name) => consoleLink.logsInsights({ region: 'us-east-1', logGroups: [name], query: 'q' }),
      '${local.encoded}',
    );
    expect(link).toContain("source~(~'${local.encoded})");
    expect(linkWithReference((name) => consoleLink.alarm('us-east-1', name), 'x')).toBe(
      consoleLink.alarm('us-east-1', 'x'),
    );
  });

  it('escapes characters outside ASCII in a query', () => {
    const query = 'filter message like "café ✓"';
    const parsed = parseConsoleLink(
      consoleLink.logsInsights({ region: 'us-east-1', logGroups: ['g'], query }),
    );
    expect(parsed).toMatchObject({ query });
  });

  it('ignores other URLs', () => {
    expect(parseConsoleLink('https://example.com/#alarmsV2:alarm/x')).toBeUndefined();
  });
});
