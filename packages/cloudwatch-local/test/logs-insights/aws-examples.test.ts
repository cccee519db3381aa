/**
 * The examples of AWS's Logs Insights pages, run on small event sets made for each:
 * CWL_QuerySyntax (2023, awsdocs/amazon-cloudwatch-logs-user-guide), CWL_QuerySyntax-examples
 * ("Sample queries"), CWL_QuerySyntax-Parse, CWL_QuerySyntax-Sort and the dashboard body structure.
 */
import { runQuery } from '../../src/logs-insights/interpreter';
import { InMemoryLogStore } from '../../src/logs-insights/log-store';
import { compareValues } from '../../src/logs-insights/values';
import { column, json, run, T0, text } from './events';

const HOUR = 3_600_000;

describe('AWS examples: the dashboard log widget', () => {
  it("runs SOURCE 'service_log1' | SOURCE 'service_log2' |filter Fault > 0 … over both groups and no other", async () => {
    const store = new InMemoryLogStore();
    const fault = (canary: string, message: string) => ({
      Fault: 1,
      'Fault.Message': message,
      Canary: { Name: canary },
    });
    store.append('service_log1', json(0, fault('api', 'timeout')));
    store.append('service_log1', json(1, fault('api', 'timeout')));
    store.append('service_log1', json(2, { Fault: 0, Canary: { Name: 'api' } }));
    store.append('service_log2', json(3, fault('website', 'timeout')));
    store.append('service_log3', json(4, fault('api', 'timeout')));

    const result = await runQuery(
      "SOURCE 'service_log1' | SOURCE 'service_log2' |filter Fault > 0\n| fields Fault.Message\n| stats count(*) by Canary.Name, Fault.Message",
      { store, start: T0, end: T0 + HOUR },
    );

    expect(result.columns).toEqual(['Canary.Name', 'Fault.Message', 'count(*)']);
    expect(result.rows).toEqual([
      { 'Canary.Name': 'api', 'Fault.Message': 'timeout', 'count(*)': '2' },
      { 'Canary.Name': 'website', 'Fault.Message': 'timeout', 'count(*)': '1' },
    ]);
  });
});

describe('AWS examples: CWL_QuerySyntax', () => {
  const events = [
    json(0, { f1: 10, f2: 'a', f3: 1, duration: 2500, statusCode: 200, Type: 'foo' }),
    json(1, { f1: 5, f2: 'b', f3: 30, duration: 100, statusCode: 404, Type: 'baz' }),
    json(2, { f1: 'NullPointerException', f2: 'c', duration: 3000, statusCode: 500, Type: 1 }),
    json(3, { f1: 'exception', f2: 'd', statusCode: 302 }),
  ];

  it('fields f1, f2, f3 | filter (duration>2000)', () => {
    const result = run('fields f1, f2, f3 | filter (duration>2000)', events);

    expect(result.columns).toEqual(['f1', 'f2', 'f3']);
    expect(column(result, 'f2')).toEqual(['c', 'a']);
  });

  it('filter (duration>2000): "the results show the @timestamp and all log data in the @message field"', () => {
    const result = run('filter (duration>2000)', events);

    expect(result.columns).toEqual(['@timestamp', '@message']);
    expect(result.rows[1]).toEqual({
      '@timestamp': '2024-05-19 06:00:00.000',
      '@message': events[0]['@message'],
    });
  });

  it('fields f1, f2 | filter (f1=10 or f3>25)', () => {
    expect(column(run('fields f1, f2 | filter (f1=10 or f3>25)', events), 'f2')).toEqual([
      'b',
      'a',
    ]);
  });

  it('fields f1 | filter statusCode like /2\\d\\d/', () => {
    expect(column(run('fields f1 | filter statusCode like /2\\d\\d/', events), 'f1')).toEqual([
      '10',
    ]);
  });

  it('fields @timestamp, @message | filter statusCode in [300,400,500]', () => {
    const result = run(
      'fields @timestamp, @message\n    | filter statusCode in [300,400,500]',
      events,
    );

    expect(result.rows).toEqual([
      { '@timestamp': '2024-05-19 06:00:00.002', '@message': events[2]['@message'] },
    ]);
  });

  it('fields @timestamp, @message | filter Type not in ["foo","bar",1]', () => {
    const result = run(
      'fields @timestamp, @message\n    | filter Type not in ["foo","bar",1]',
      events,
    );

    expect(result.rows.map((row) => row['@message'])).toEqual([events[1]['@message']]);
  });

  it('filter f1 like /Exception/, =~ /Exception/ and like "Exception" are case sensitive; /(?i)Exception/ is not', () => {
    const f2 = (query: string) => column(run(query, events), 'f2');

    expect(f2('fields f1, f2, f3 | filter f1 like /Exception/')).toEqual(['c']);
    expect(f2('fields f1, f2, f3 | filter f1 =~ /Exception/')).toEqual(['c']);
    expect(f2('fields f1, f2, f3 | filter f1 like "Exception"')).toEqual(['c']);
    expect(f2('fields f1, f2, f3 | filter f1 like /(?i)Exception/ ')).toEqual(['d', 'c']);
    expect(f2('fields f1, f2, f3 | filter f1 =~ /^(?i)Exception$/')).toEqual(['d']);
  });

  it('fields `foo-bar`, action', () => {
    const result = run('fields `foo-bar`, action', [json(0, { 'foo-bar': 1, action: 'ACCEPT' })]);

    expect(result.rows).toEqual([{ 'foo-bar': '1', action: 'ACCEPT' }]);
  });

  it("fields concat(Operation, '-', StatusCode) as opStatus", () => {
    const result = run("fields concat(Operation, '-', StatusCode) as opStatus", [
      json(0, { Operation: 'PutItem', StatusCode: 200 }),
    ]);

    expect(result.rows).toEqual([{ opStatus: 'PutItem-200' }]);
  });

  it('fields ispresent(resolverArn) as isRes: "The value of isRes is either 0 or 1"', () => {
    const result = run('fields ispresent(resolverArn) as isRes', [
      json(0, { resolverArn: 'arn' }),
      json(1, {}),
    ]);

    expect(column(result, 'isRes')).toEqual(['0', '1']);
  });

  it('stats avg (f1) by f2', () => {
    const result = run('stats avg (f1) by f2', [
      json(0, { f1: 1, f2: 'x' }),
      json(1, { f1: 3, f2: 'x' }),
      json(2, { f1: 10, f2: 'y' }),
    ]);

    expect(result.rows).toEqual([
      { f2: 'x', 'avg (f1)': '2' },
      { f2: 'y', 'avg (f1)': '10' },
    ]);
  });

  it('stats avg(f1) as myAvgF1 | sort myAvgF1 desc', () => {
    expect(run('stats avg(f1) as myAvgF1 | sort myAvgF1 desc', events).rows).toEqual([
      { myAvgF1: '7.5' },
    ]);
  });

  it('sort @timestamp desc | limit 25 | display f1, f2', () => {
    const many = Array.from({ length: 30 }, (_, i) => json(i, { f1: i, f2: -i }));

    const result = run('sort @timestamp desc | limit 25  |  display f1, f2', many);

    expect(result.columns).toEqual(['f1', 'f2']);
    expect(result.rows).toHaveLength(25);
    expect(result.rows[0]).toEqual({ f1: '29', f2: '-29' });
  });

  it('ignores lines that start with #', () => {
    const many = Array.from({ length: 30 }, (_, i) => text(i, i % 2 ? 'delay' : 'fine'));

    const result = run(
      'fields @timestamp, @message\n    # | filter @message like /delay/\n    | limit 20',
      many,
    );

    expect(result.rows).toHaveLength(20);
    expect(new Set(column(result, '@message'))).toEqual(new Set(['delay', 'fine']));
  });

  describe('parse', () => {
    const line = text(
      0,
      '25 May 2019 10:24:39,474 [ERROR] {foo=2, bar=data} The error was: DataIntegrityException',
    );
    const expected = {
      level: 'ERROR',
      config: '{foo=2, bar=data}',
      exception: 'DataIntegrityException',
    };

    it('parse @message "[*] * The error was: *" as level, config, exception', () => {
      const result = run(
        'parse @message "[*] * The error was: *" as level, config, exception | display level, config, exception',
        [line],
      );

      expect(result.rows).toEqual([expected]);
    });

    it('parse @message /\\[(?<level>\\S+)\\]\\s+(?<config>\\{.*\\})\\s+The error was: (?<exception>\\S+)/', () => {
      const result = run(
        'parse @message /\\[(?<level>\\S+)\\]\\s+(?<config>\\{.*\\})\\s+The error was: (?<exception>\\S+)/ | display level, config, exception',
        [line],
      );

      expect(result.rows).toEqual([expected]);
    });

    it('fields @message | parse @message "[*] *" as loggingType, loggingMessage | filter loggingType = "ERROR" | display loggingMessage', () => {
      const result = run(
        'fields @message\n    | parse @message "[*] *" as loggingType, loggingMessage\n    | filter loggingType = "ERROR"\n    | display loggingMessage',
        [text(0, '[ERROR] disk full'), text(1, '[INFO] all good')],
      );

      expect(result).toEqual({
        columns: ['loggingMessage'],
        rows: [{ loggingMessage: 'disk full' }],
      });
    });

    it('parse @message "user=*, method:*, latency := *" as @user, @method, @latency | stats avg(@latency) by @method, @user', () => {
      const result = run(
        'parse @message "user=*, method:*, latency := *" as @user,\n    @method, @latency | stats avg(@latency) by @method,\n    @user',
        [
          text(0, 'user=ann, method:GET, latency := 10'),
          text(1, 'user=ann, method:GET, latency := 20'),
          text(2, 'user=bob, method:GET, latency := 7'),
        ],
      );

      expect(result.rows).toEqual([
        { '@method': 'GET', '@user': 'ann', 'avg(@latency)': '15' },
        { '@method': 'GET', '@user': 'bob', 'avg(@latency)': '7' },
      ]);
    });

    it('FIELDS @message | PARSE … | FILTER loggingType IN ["ERROR", "INFO"] | DISPLAY loggingMessage, loggingType = "ERROR" as isError', () => {
      const result = run(
        'FIELDS @message\n    | PARSE @message "* [*] *" as loggingTime, loggingType, loggingMessage\n    | FILTER loggingType IN ["ERROR", "INFO"]\n    | DISPLAY loggingMessage, loggingType = "ERROR" as isError',
        [
          text(0, '10:00 [ERROR] disk full'),
          text(1, '10:01 [INFO] all good'),
          text(2, '10:02 [DEBUG] noise'),
        ],
      );

      expect(result).toEqual({
        columns: ['loggingMessage', 'isError'],
        rows: [
          { loggingMessage: 'all good', isError: '0' },
          { loggingMessage: 'disk full', isError: '1' },
        ],
      });
    });

    it('parse @message /(?<NetworkInterface>eni-.*?) / | display NetworkInterface, @message', () => {
      const flow =
        '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

      const result = run(
        'parse @message /(?<NetworkInterface>eni-.*?) / | display NetworkInterface, @message',
        [text(0, flow)],
      );

      expect(result.rows).toEqual([
        { NetworkInterface: 'eni-1235b8ca123456789', '@message': flow },
      ]);
    });
  });
});

describe('AWS examples: sample queries', () => {
  it('fields @timestamp, @message | sort @timestamp desc | limit 25', () => {
    const many = Array.from({ length: 40 }, (_, i) => text(i * 1000, `event ${i}`));

    const result = run('fields @timestamp, @message | sort @timestamp desc | limit 25', many);

    expect(result.rows).toHaveLength(25);
    expect(result.rows[0]).toEqual({
      '@timestamp': '2024-05-19 06:00:39.000',
      '@message': 'event 39',
    });
    expect(result.rows[24]['@message']).toBe('event 15');
  });

  it('filter @message like /Exception/ | stats count(*) as exceptionCount by bin(1h) | sort exceptionCount desc', () => {
    const events = [
      text(0, 'IOException'),
      text(HOUR, 'IOException'),
      text(HOUR + 1, 'TimeoutException'),
      text(HOUR + 2, 'all fine'),
    ];

    const result = run(
      'filter @message like /Exception/ \n    | stats count(*) as exceptionCount by bin(1h)\n    | sort exceptionCount desc',
      events,
    );

    expect(result.rows).toEqual([
      { 'bin(1h)': '2024-05-19 07:00:00.000', exceptionCount: '2' },
      { 'bin(1h)': '2024-05-19 06:00:00.000', exceptionCount: '1' },
    ]);
  });

  it('fields @message | filter @message not like /Exception/', () => {
    const result = run('fields @message | filter @message not like /Exception/', [
      text(0, 'IOException'),
      text(1, 'ok'),
    ]);

    expect(result.rows).toEqual([{ '@message': 'ok' }]);
  });

  describe('Amazon VPC flow logs', () => {
    const flows = [
      json(0, {
        srcAddr: '10.0.0.1',
        dstAddr: '10.0.0.2',
        packets: 5,
        protocol: 6,
        logStatus: 'OK',
      }),
      json(1, {
        srcAddr: '10.0.0.1',
        dstAddr: '10.0.0.2',
        packets: 7,
        protocol: 17,
        logStatus: 'OK',
      }),
      json(2, {
        srcAddr: '10.0.0.3',
        dstAddr: '10.0.0.2',
        packets: 20,
        protocol: 17,
        logStatus: 'SKIPDATA',
      }),
      json(HOUR, {
        srcAddr: '10.0.0.3',
        dstAddr: '10.0.0.4',
        packets: 1,
        protocol: 6,
        logStatus: 'SKIPDATA',
      }),
    ];

    it('stats sum(packets) as packetsTransferred by srcAddr, dstAddr | sort packetsTransferred desc | limit 15', () => {
      const result = run(
        'stats sum(packets) as packetsTransferred by srcAddr, dstAddr\n    | sort packetsTransferred  desc\n    | limit 15',
        flows,
      );

      expect(result.rows).toEqual([
        { srcAddr: '10.0.0.3', dstAddr: '10.0.0.2', packetsTransferred: '20' },
        { srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', packetsTransferred: '12' },
        { srcAddr: '10.0.0.3', dstAddr: '10.0.0.4', packetsTransferred: '1' },
      ]);
    });

    it('filter protocol=17 | stats count(*) by srcAddr', () => {
      expect(run('filter protocol=17 | stats count(*) by srcAddr', flows).rows).toEqual([
        { srcAddr: '10.0.0.1', 'count(*)': '1' },
        { srcAddr: '10.0.0.3', 'count(*)': '1' },
      ]);
    });

    it('filter logStatus="SKIPDATA" | stats count(*) by bin(1h) as t | sort t', () => {
      const result = run(
        'filter logStatus="SKIPDATA"\n    | stats count(*) by bin(1h) as t\n    | sort t',
        flows,
      );

      expect(result.rows).toEqual([
        { t: '2024-05-19 07:00:00.000', 'count(*)': '1' },
        { t: '2024-05-19 06:00:00.000', 'count(*)': '1' },
      ]);
    });
  });

  describe('Route 53 logs', () => {
    const queries = [
      json(0, {
        queryType: 'A',
        resolverIp: '1.1.1.1',
        responseCode: 'NOERROR',
        queryName: 'example.com',
      }),
      json(1, {
        queryType: 'A',
        resolverIp: '1.1.1.1',
        responseCode: 'SERVFAIL',
        queryName: 'a.example.com',
      }),
      json(HOUR, {
        queryType: 'AAAA',
        resolverIp: '8.8.8.8',
        responseCode: 'SERVFAIL',
        queryName: 'a.example.com',
      }),
    ];

    it('stats count(*) by queryType, bin(1h)', () => {
      expect(run('stats count(*) by queryType, bin(1h)', queries).rows).toEqual([
        { queryType: 'A', 'bin(1h)': '2024-05-19 06:00:00.000', 'count(*)': '2' },
        { queryType: 'AAAA', 'bin(1h)': '2024-05-19 07:00:00.000', 'count(*)': '1' },
      ]);
    });

    it('stats count(*) as numRequests by resolverIp | sort numRequests desc | limit 10', () => {
      expect(
        run(
          'stats count(*) as numRequests by resolverIp\n    | sort numRequests desc\n    | limit 10',
          queries,
        ).rows,
      ).toEqual([
        { resolverIp: '1.1.1.1', numRequests: '2' },
        { resolverIp: '8.8.8.8', numRequests: '1' },
      ]);
    });

    it('filter responseCode="SERVFAIL" | stats count(*) by queryName', () => {
      expect(
        run('filter responseCode="SERVFAIL" | stats count(*) by queryName', queries).rows,
      ).toEqual([{ queryName: 'a.example.com', 'count(*)': '2' }]);
    });
  });

  describe('CloudTrail logs', () => {
    const trail = [
      json(0, {
        eventSource: 'ec2.amazonaws.com',
        eventName: 'StartInstances',
        awsRegion: 'us-east-2',
        region: 'us-east-2',
      }),
      json(1, {
        eventSource: 'ec2.amazonaws.com',
        eventName: 'StopInstances',
        awsRegion: 'us-west-2',
        region: 'us-west-2',
      }),
      json(2, {
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateUser',
        awsRegion: 'us-east-1',
        requestParameters: { userName: 'Alice' },
        responseElements: { user: { arn: 'arn:aws:iam::123456789012:user/Alice' } },
      }),
      json(3, {
        eventSource: 'cloudtrail.amazonaws.com',
        eventName: 'UpdateTrail',
        awsRegion: 'us-east-1',
        errorCode: 'AccessDenied',
        errorMessage: 'no',
      }),
      json(4, {
        eventSource: 'cloudtrail.amazonaws.com',
        eventName: 'UpdateTrail',
        awsRegion: 'us-east-1',
      }),
    ];

    it('stats count(*) by eventSource, eventName, awsRegion', () => {
      expect(run('stats count(*) by eventSource, eventName, awsRegion', trail).rows).toEqual([
        {
          eventSource: 'cloudtrail.amazonaws.com',
          eventName: 'UpdateTrail',
          awsRegion: 'us-east-1',
          'count(*)': '2',
        },
        {
          eventSource: 'ec2.amazonaws.com',
          eventName: 'StartInstances',
          awsRegion: 'us-east-2',
          'count(*)': '1',
        },
        {
          eventSource: 'ec2.amazonaws.com',
          eventName: 'StopInstances',
          awsRegion: 'us-west-2',
          'count(*)': '1',
        },
        {
          eventSource: 'iam.amazonaws.com',
          eventName: 'CreateUser',
          awsRegion: 'us-east-1',
          'count(*)': '1',
        },
      ]);
    });

    it('filter (eventName="StartInstances" or eventName="StopInstances") and region="us-east-2"', () => {
      const result = run(
        'filter (eventName="StartInstances" or eventName="StopInstances") and region="us-east-2"',
        trail,
      );

      expect(result.rows.map((row) => JSON.parse(row['@message']).eventName)).toEqual([
        'StartInstances',
      ]);
    });

    it('filter eventName="CreateUser" | fields awsRegion, requestParameters.userName, responseElements.user.arn', () => {
      const result = run(
        'filter eventName="CreateUser"\n    | fields awsRegion, requestParameters.userName, responseElements.user.arn',
        trail,
      );

      expect(result.rows).toEqual([
        {
          awsRegion: 'us-east-1',
          'requestParameters.userName': 'Alice',
          'responseElements.user.arn': 'arn:aws:iam::123456789012:user/Alice',
        },
      ]);
    });

    it('filter eventName="UpdateTrail" and ispresent(errorCode) | stats count(*) by errorCode, errorMessage', () => {
      const result = run(
        'filter eventName="UpdateTrail" and ispresent(errorCode)\n    | stats count(*) by errorCode, errorMessage',
        trail,
      );

      expect(result.rows).toEqual([
        { errorCode: 'AccessDenied', errorMessage: 'no', 'count(*)': '1' },
      ]);
    });
  });
});

describe('AWS examples: the order of sort (CWL_QuerySyntax-Sort)', () => {
  it("sorts the page's list ascending as the page shows, and descending in reverse", () => {
    const documented = [
      '!:',
      '#',
      '*%04',
      '0#',
      '5A',
      '111A',
      '2345_',
      '@',
      '@_',
      'A',
      'A9876fghj',
      'a12345hfh',
      '0',
      '01',
      '1',
      '2',
      '3',
    ];
    const shuffled = [...documented].reverse().sort((a, b) => (a.length % 3) - (b.length % 3));

    expect([...shuffled].sort(compareValues)).toEqual(documented);
    const events = shuffled.map((value, i) => json(i, { value }));
    expect(column(run('sort value asc | fields value', events), 'value')).toEqual(documented);
    expect(column(run('sort value desc | fields value', events), 'value')).toEqual(
      [...documented].reverse(),
    );
  });
});
