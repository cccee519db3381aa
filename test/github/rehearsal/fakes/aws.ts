/**
 * A fake AWS CLI v2: each command it knows is one row of OPERATIONS, answering from the fake
 * world as AWS would; every call is recorded; anything else fails as the CLI fails, with its exit
 * codes (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-returncodes.html):
 * 252 for a command line it cannot parse (unknown command, unknown or missing option), 253 for a
 * missing region or credentials, 254 when the service answers with an error.
 *
 * A new AWS call the project makes is one new row. IAM is not judged here (the deploy roles'
 * policy is tested against AWS's authorization data in test/stacks/bootstrap); a call is made as
 * the role whose credentials it carries, and recorded so.
 */
import * as fs from 'node:fs';
import type { Statistic } from '@monitored/cloudwatch-model';
import { alarmStateAt, metricStatistics } from './cloudwatch';
import {
  FAKE_ACCOUNT,
  type Alarm,
  type CloudWatchRegion,
  type MetricDatum,
  type Session,
  type World,
} from './world';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface ParamSpec {
  readonly required?: boolean;
  /** Takes every value up to the next option (`--alarm-names a b`). */
  readonly list?: boolean;
}

interface Input {
  readonly params: Readonly<Record<string, string | string[]>>;
  readonly positionals: readonly string[];
  readonly region: string | undefined;
  readonly session: Session;
  readonly world: World;
}

interface Operation {
  /** The API operation's name, as errors name it. */
  readonly api: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly positionals?: number;
  readonly needsRegion: boolean;
  run(input: Input): CliResult;
}

const ok = (value?: unknown): CliResult => ({
  code: 0,
  stdout: value === undefined ? '' : `${JSON.stringify(value, null, 4)}\n`,
  stderr: '',
});

/** "An error occurred (Code) when calling the Op operation: message" with the CLI's exit code 254. */
export function serviceError(code: string, api: string, message: string): CliResult {
  return {
    code: 254,
    stdout: '',
    stderr: `\nAn error occurred (${code}) when calling the ${api} operation: ${message}\n`,
  };
}

function usageError(message: string): CliResult {
  return {
    code: 252,
    stdout: '',
    stderr:
      '\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n' +
      'To see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n\n' +
      `aws: error: ${message}\n`,
  };
}

const text = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(' ') : value;

/** `s3://bucket/key` into its parts; undefined for a local path or `-`. */
function s3Url(value: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(value);
  return match === null ? undefined : { bucket: match[1], key: match[2] };
}

function describeAlarm(alarm: Alarm, region: CloudWatchRegion, regionName: string, now: number) {
  const { state, reason } = alarmStateAt(region, alarm, now);
  return {
    AlarmName: alarm.name,
    AlarmArn: `arn:aws:cloudwatch:${regionName}:${FAKE_ACCOUNT}:alarm:${alarm.name}`,
    StateValue: state,
    StateReason: reason,
  };
}

/** `Name=a,Value=b` (shorthand) or JSON dimensions of put-metric-data. */
function parseDimensions(raw: string | undefined): Record<string, string> {
  if (raw === undefined) return {};
  if (raw.trim().startsWith('[')) {
    return Object.fromEntries(
      (JSON.parse(raw) as { Name: string; Value: string }[]).map((d) => [d.Name, d.Value]),
    );
  }
  return Object.fromEntries(
    raw.split(/\s+|,(?=\w+=)/).flatMap((pair) => {
      const at = pair.indexOf('=');
      return at > 0 ? [[pair.slice(0, at), pair.slice(at + 1)]] : [];
    }),
  );
}

/**
 * A list of Dimension structures (get-metric-statistics `--dimensions`): shorthand items
 * `Name=a,Value=b`, one word each, or one JSON list; undefined for anything else.
 */
function parseDimensionList(words: readonly string[]): Record<string, string> | undefined {
  const items =
    words.length === 1 && words[0].trim().startsWith('[')
      ? (JSON.parse(words[0]) as { Name?: unknown; Value?: unknown }[])
      : words.map(
          (word) =>
            Object.fromEntries(word.split(',').map((pair) => pair.split('=', 2))) as {
              Name?: unknown;
              Value?: unknown;
            },
        );
  if (items.some((item) => typeof item.Name !== 'string' || typeof item.Value !== 'string'))
    return undefined;
  return Object.fromEntries(items.map((item) => [item.Name as string, item.Value as string]));
}

/** A client-side parameter check failing, as the CLI prints it (exit 252, v2's code for it). */
function parameterError(message: string): CliResult {
  return { code: 252, stdout: '', stderr: `\nParameter validation failed:\n${message}\n` };
}

/**
 * A timestamp parameter as the CLI takes it ("Common parameter types": ISO 8601 with or without
 * an offset, a date, or Unix seconds), ms since the epoch; undefined when it is none. Without an
 * offset it is UTC (botocore's serializer makes a naive time UTC).
 */
export function parseCliTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value * 1000 : undefined;
  if (typeof value !== 'string') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const match =
    /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(
      value,
    );
  if (match === null) return undefined;
  const [, day, time, zone] = match;
  const parsed = Date.parse(`${day}T${time ?? '00:00'}${zone ?? 'Z'}`);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * A time stamp as CLI v2 prints it: its default `cli_timestamp_format` is `iso8601`, Python's
 * `isoformat()` of the time in the local zone (aws/aws-cli tests/functional/test_timeformat.py:
 * `datetime.fromtimestamp(0).replace(tzinfo=tzlocal()).isoformat()`), and a hosted runner's zone
 * is UTC: `2026-11-28T10:03:00+00:00`, microseconds only when there are any.
 */
export function cliTimestamp(time: number): string {
  const [whole, millis] = new Date(time).toISOString().slice(0, -1).split('.');
  return `${whole}${millis === '000' ? '' : `.${millis}000`}+00:00`;
}

/** A Double as Python's json prints it (`1.0`, `-1.0`, `0.5`, `1e+16`): the CLI's floats. */
function pythonFloat(value: number): string {
  if (!Number.isInteger(value)) return String(value);
  return Math.abs(value) < 1e16 ? value.toFixed(1) : value.toExponential();
}

/** `ok()` for an answer whose `doubles` fields are Doubles in the API's shapes. */
function okWithDoubles(value: unknown, doubles: readonly string[]): CliResult {
  const marked = JSON.stringify(
    value,
    (key, field: unknown) =>
      doubles.includes(key) && typeof field === 'number' ? `\u0000${pythonFloat(field)}` : field,
    4,
  );
  return {
    code: 0,
    stdout: `${marked.replace(/"\\u0000([^"]*)"/g, '$1')}\n`,
    stderr: '',
  };
}

/** StandardUnit (CloudWatch API reference, Datapoint and MetricDatum). */
const UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
];
/** Statistic (CloudWatch API reference, GetMetricStatistics). */
const STATISTICS: readonly Statistic[] = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];

/** The service's answer to a value outside an enum, in its validation style (as SetAlarmState's). */
function enumError(api: string, value: string, at: string, allowed: readonly string[]): CliResult {
  return serviceError(
    'InvalidParameterValue',
    api,
    `1 validation error detected: Value '${value}' at '${at}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
  );
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * PutMetricData's Timestamp: "as much as two weeks before the current date, and as much as 2
 * hours after the current day and time". AWS's wording of the refusal is not documented; this
 * is the fake's.
 */
function timestampRefusal(timestamp: number, now: number, item: number): CliResult | undefined {
  const where = `MetricData.member.${item}.Timestamp`;
  if (timestamp < now - 14 * DAY_MS)
    return serviceError(
      'InvalidParameterValue',
      'PutMetricData',
      `The parameter ${where} must specify a time no more than two weeks in the past.`,
    );
  if (timestamp > now + 2 * 60 * MINUTE_MS)
    return serviceError(
      'InvalidParameterValue',
      'PutMetricData',
      `The parameter ${where} must specify a time no more than two hours in the future.`,
    );
  return undefined;
}

/** The data of `--metric-data` (JSON), or the CLI's refusal of it. */
function metricDataItems(raw: string, now: number): MetricDatum[] | CliResult {
  if (!raw.trim().startsWith('[')) {
    return usageError(
      '--metric-data: the fake aws takes the JSON form only (shorthand and file:// are not modelled)',
    );
  }
  let items: unknown;
  try {
    items = JSON.parse(raw);
  } catch (error: unknown) {
    return {
      code: 252,
      stdout: '',
      stderr: `\nError parsing parameter '--metric-data': Invalid JSON: ${error instanceof Error ? error.message : String(error)}\nJSON received: ${raw}\n`,
    };
  }
  const data: MetricDatum[] = [];
  for (const [index, item] of (items as Record<string, unknown>[]).entries()) {
    const at = `MetricData[${index}]`;
    if (typeof item.MetricName !== 'string')
      return parameterError(`Missing required parameter in ${at}: "MetricName"`);
    if ('Values' in item || 'Counts' in item || 'StatisticValues' in item)
      return usageError(`${at}: only Value is modelled by the fake aws`);
    if (typeof item.Value !== 'number')
      return parameterError(
        `Invalid type for parameter ${at}.Value, value: ${String(item.Value)}, type: <class '${typeof item.Value === 'string' ? 'str' : typeof item.Value}'>, valid types: <class 'float'>, <class 'decimal.Decimal'>, <class 'int'>`,
      );
    const timestamp = item.Timestamp === undefined ? now : parseCliTimestamp(item.Timestamp);
    if (timestamp === undefined)
      return parameterError(
        `Invalid type for parameter ${at}.Timestamp, value: ${String(item.Timestamp)}, type: <class 'str'>, valid types: <class 'datetime.datetime'>, timestamp-string`,
      );
    const unit = typeof item.Unit === 'string' ? item.Unit : 'None';
    if (!UNITS.includes(unit))
      return enumError('PutMetricData', unit, `metricData.${index + 1}.member.unit`, UNITS);
    const refused = timestampRefusal(timestamp, now, index + 1);
    if (refused !== undefined) return refused;
    data.push({
      name: item.MetricName,
      value: item.Value,
      unit,
      timestamp,
      dimensions: Object.fromEntries(
        ((item.Dimensions as { Name: string; Value: string }[] | undefined) ?? []).map((d) => [
          d.Name,
          d.Value,
        ]),
      ),
    });
  }
  return data;
}

/**
 * GetMetricStatistics' StartTime, "rounded down" as CloudWatch rounds it: to the minute when less
 * than 15 days ago, to 5 minutes up to 63 days, to the hour before that.
 */
function roundedStart(start: number, now: number): number {
  const age = now - start;
  const step = age < 15 * DAY_MS ? MINUTE_MS : age < 63 * DAY_MS ? 5 * MINUTE_MS : 60 * MINUTE_MS;
  return Math.floor(start / step) * step;
}

/** "The maximum number of data points returned from a single call is 1,440." */
const MAX_DATAPOINTS = 1440;

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  'sts get-caller-identity': {
    api: 'GetCallerIdentity',
    params: {},
    needsRegion: false,
    run: ({ session }) =>
      ok({
        UserId: `AROAFAKE:${session.sessionName}`,
        Account: FAKE_ACCOUNT,
        Arn: `arn:aws:sts::${FAKE_ACCOUNT}:assumed-role/${session.role.split('/').pop()}/${session.sessionName}`,
      }),
  },

  'cloudwatch describe-alarms': {
    api: 'DescribeAlarms',
    params: {
      '--alarm-names': { list: true },
      '--alarm-name-prefix': {},
      '--state-value': {},
      '--alarm-types': { list: true },
    },
    needsRegion: true,
    run: ({ params, region, world }) => {
      const names = params['--alarm-names'];
      const prefix = text(params['--alarm-name-prefix']);
      const state = text(params['--state-value']);
      const types = (params['--alarm-types'] as string[] | undefined) ?? ['MetricAlarm'];
      const data = world.cloudwatch(region ?? '');
      const now = world.now();
      const described = Object.values(data.alarms)
        .filter(
          (alarm) =>
            (names === undefined || (names as string[]).includes(alarm.name)) &&
            (prefix === undefined || alarm.name.startsWith(prefix)),
        )
        .map((alarm) => ({ kind: alarm.kind, ...describeAlarm(alarm, data, region ?? '', now) }))
        .filter((alarm) => state === undefined || alarm.StateValue === state);
      const of = (kind: Alarm['kind']) =>
        described.filter((alarm) => alarm.kind === kind).map(({ kind: _kind, ...alarm }) => alarm);
      return ok({
        MetricAlarms: types.includes('MetricAlarm') ? of('metric') : [],
        CompositeAlarms: types.includes('CompositeAlarm') ? of('composite') : [],
      });
    },
  },

  'cloudwatch put-metric-data': {
    api: 'PutMetricData',
    params: {
      '--namespace': { required: true },
      '--metric-name': {},
      '--value': {},
      '--unit': {},
      '--dimensions': {},
      '--timestamp': {},
      '--metric-data': {},
    },
    needsRegion: true,
    run: ({ params, region, world, session }) => {
      const namespace = text(params['--namespace']) ?? '';
      // "You cannot use a namespace that begins with AWS/" (PutMetricData, Namespace).
      if (/^AWS\//.test(namespace)) {
        return serviceError(
          'InvalidParameterValue',
          'PutMetricData',
          `The value AWS/ for parameter Namespace is invalid.`,
        );
      }
      const now = world.now();
      const json = text(params['--metric-data']);
      let data: MetricDatum[];
      if (json !== undefined) {
        const items = metricDataItems(json, now);
        if (!Array.isArray(items)) return items;
        data = items;
      } else {
        const name = text(params['--metric-name']);
        const raw = text(params['--value']);
        if (name === undefined || raw === undefined)
          return usageError('put-metric-data needs --metric-data, or --metric-name and --value');
        const value = Number(raw);
        if (raw.trim() === '' || Number.isNaN(value))
          return {
            code: 252,
            stdout: '',
            stderr: `\ncould not convert string to float: '${raw}'\n`,
          };
        const given = text(params['--timestamp']);
        const timestamp = given === undefined ? now : parseCliTimestamp(given);
        if (timestamp === undefined)
          return parameterError(
            `Invalid type for parameter MetricData[0].Timestamp, value: ${given}, type: <class 'str'>, valid types: <class 'datetime.datetime'>, timestamp-string`,
          );
        const unit = text(params['--unit']) ?? 'None';
        if (!UNITS.includes(unit))
          return enumError('PutMetricData', unit, 'metricData.1.member.unit', UNITS);
        const refused = timestampRefusal(timestamp, now, 1);
        if (refused !== undefined) return refused;
        data = [
          {
            name,
            value,
            unit,
            timestamp,
            dimensions: parseDimensions(text(params['--dimensions'])),
          },
        ];
      }
      const cloudwatch = world.cloudwatch(region ?? '');
      cloudwatch.metricPuts.push({ namespace, data, receivedAt: now, sentBy: session.role });
      world.saveCloudwatch(region ?? '', cloudwatch);
      return ok();
    },
  },

  'cloudwatch get-metric-statistics': {
    api: 'GetMetricStatistics',
    params: {
      '--namespace': { required: true },
      '--metric-name': { required: true },
      '--start-time': { required: true },
      '--end-time': { required: true },
      '--period': { required: true },
      '--statistics': { list: true },
      '--extended-statistics': { list: true },
      '--dimensions': { list: true },
      '--unit': {},
    },
    needsRegion: true,
    run: ({ params, region, world }) => {
      const api = 'GetMetricStatistics';
      const rawPeriod = text(params['--period']) ?? '';
      if (!/^[+-]?\d+$/.test(rawPeriod.trim()))
        return {
          code: 252,
          stdout: '',
          stderr: `\ninvalid literal for int() with base 10: '${rawPeriod}'\n`,
        };
      const period = Number(rawPeriod);
      if (period < 1)
        return parameterError(
          `Invalid value for parameter Period, value: ${period}, valid min value: 1`,
        );
      const times: number[] = [];
      for (const [option, parameter] of [
        ['--start-time', 'StartTime'],
        ['--end-time', 'EndTime'],
      ]) {
        const given = text(params[option]) ?? '';
        const time = parseCliTimestamp(given);
        if (time === undefined)
          return parameterError(
            `Invalid type for parameter ${parameter}, value: ${given}, type: <class 'str'>, valid types: <class 'datetime.datetime'>, timestamp-string`,
          );
        times.push(time);
      }
      const statistics = params['--statistics'] as string[] | undefined;
      if (statistics !== undefined && (statistics.length < 1 || statistics.length > 5))
        return parameterError(
          `Invalid length for parameter Statistics, value: ${statistics.length}, valid ${statistics.length < 1 ? 'min length: 1' : 'max length: 5'}`,
        );
      if (params['--extended-statistics'] !== undefined)
        return usageError('--extended-statistics is not modelled by the fake aws');
      let dimensions: Record<string, string> | undefined;
      try {
        dimensions = parseDimensionList((params['--dimensions'] as string[] | undefined) ?? []);
      } catch {
        // Not JSON after all: refused below, as the CLI refuses what it cannot parse.
      }
      if (dimensions === undefined)
        return usageError(
          'argument --dimensions: expected Name=<name>,Value=<value> items, or a JSON list of them',
        );
      // Service-side checks. AWS documents the limits, not its wording of these refusals: the
      // texts below are the fake's.
      if (statistics === undefined)
        return serviceError(
          'InvalidParameterCombination',
          api,
          'Must specify either Statistics or ExtendedStatistics.',
        );
      for (const [index, statistic] of statistics.entries()) {
        if (!(STATISTICS as readonly string[]).includes(statistic))
          return enumError(api, statistic, `statistics.${index + 1}.member`, STATISTICS);
      }
      const unit = text(params['--unit']);
      if (unit !== undefined && !UNITS.includes(unit)) return enumError(api, unit, 'unit', UNITS);
      if ([1, 5, 10, 20, 30].includes(period))
        return usageError(
          `a period of ${period} seconds reads high-resolution metrics, which the fake aws does not model`,
        );
      // "a period can be as short as one minute (60 seconds) and must be a multiple of 60"
      if (period % 60 !== 0)
        return serviceError(
          'InvalidParameterValue',
          api,
          'The parameter Period must be 1, 5, 10, 20, 30, or a multiple of 60.',
        );
      const now = world.now();
      const start = roundedStart(times[0], now);
      const end = times[1];
      if (start >= end)
        return serviceError(
          'InvalidParameterValue',
          api,
          'The parameter StartTime must be less than the parameter EndTime.',
        );
      const requested = Math.ceil((end - start) / (period * 1000));
      if (requested > MAX_DATAPOINTS)
        return serviceError(
          'InvalidParameterCombination',
          api,
          `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
        );
      const name = text(params['--metric-name']) ?? '';
      const periods = metricStatistics(world.cloudwatch(region ?? ''), {
        namespace: text(params['--namespace']) ?? '',
        name,
        dimensions,
        unit,
        start,
        end,
        periodSeconds: period,
        statistics: statistics as Statistic[],
        receivedBy: now,
      });
      // Members in the order of the API's shapes (GetMetricStatisticsOutput, Datapoint).
      return okWithDoubles(
        {
          Label: name,
          Datapoints: periods.map((datapoint) => ({
            Timestamp: cliTimestamp(datapoint.timestamp),
            ...Object.fromEntries(
              STATISTICS.filter((s) => datapoint.values[s] !== undefined).map((s) => [
                s,
                datapoint.values[s],
              ]),
            ),
            Unit: datapoint.unit,
          })),
        },
        STATISTICS,
      );
    },
  },

  's3api head-object': {
    api: 'HeadObject',
    params: { '--bucket': { required: true }, '--key': { required: true } },
    needsRegion: false,
    run: ({ params, world }) => {
      const body = world.getObject(text(params['--bucket']) ?? '', text(params['--key']) ?? '');
      return body === undefined
        ? serviceError('404', 'HeadObject', 'Not Found')
        : ok({ ContentLength: Buffer.byteLength(body), ContentType: 'binary/octet-stream' });
    },
  },

  's3api delete-object': {
    api: 'DeleteObject',
    params: { '--bucket': { required: true }, '--key': { required: true } },
    needsRegion: false,
    run: ({ params, world }) => {
      const bucket = text(params['--bucket']) ?? '';
      if (!world.hasBucket(bucket))
        return serviceError('NoSuchBucket', 'DeleteObject', 'The specified bucket does not exist');
      // S3 answers a delete of a missing key with success, too.
      world.deleteObject(bucket, text(params['--key']) ?? '');
      return ok();
    },
  },

  's3api list-objects-v2': {
    api: 'ListObjectsV2',
    params: { '--bucket': { required: true }, '--prefix': {} },
    needsRegion: false,
    run: ({ params, world }) => {
      const bucket = text(params['--bucket']) ?? '';
      if (!world.hasBucket(bucket))
        return serviceError('NoSuchBucket', 'ListObjectsV2', 'The specified bucket does not exist');
      const prefix = text(params['--prefix']) ?? '';
      const keys = world.listObjects(bucket).filter((key) => key.startsWith(prefix));
      return ok({
        Contents: keys.map((Key) => ({
          Key,
          Size: Buffer.byteLength(world.getObject(bucket, Key) ?? ''),
        })),
        KeyCount: keys.length,
      });
    },
  },

  's3 cp': {
    api: 'GetObject',
    params: {},
    positionals: 2,
    needsRegion: false,
    run: ({ positionals, world }) => {
      const [from, to] = positionals;
      const source = s3Url(from);
      if (source === undefined || s3Url(to) !== undefined) {
        return usageError(
          'the fake aws copies only from S3 to a file or stdout (s3 cp s3://bucket/key <file|->)',
        );
      }
      const body = world.getObject(source.bucket, source.key);
      if (body === undefined) {
        return {
          code: 1,
          stdout: '',
          stderr: `fatal error: An error occurred (404) when calling the HeadObject operation: Key "${source.key}" does not exist\n`,
        };
      }
      if (to === '-') return { code: 0, stdout: body, stderr: '' };
      fs.writeFileSync(to, body);
      return { code: 0, stdout: `download: ${from} to ${to}\n`, stderr: '' };
    },
  },

  's3 rm': {
    api: 'DeleteObject',
    params: {},
    positionals: 1,
    needsRegion: false,
    run: ({ positionals, world }) => {
      const target = s3Url(positionals[0]);
      if (target === undefined || target.key === '')
        return usageError(`Invalid argument type: ${positionals[0]}`);
      if (!world.hasBucket(target.bucket)) {
        return serviceError('NoSuchBucket', 'DeleteObject', 'The specified bucket does not exist');
      }
      world.deleteObject(target.bucket, target.key);
      return { code: 0, stdout: `delete: ${positionals[0]}\n`, stderr: '' };
    },
  },

  's3 ls': {
    api: 'ListObjectsV2',
    params: {},
    positionals: 1,
    needsRegion: false,
    run: ({ positionals, world }) => {
      const target = s3Url(positionals[0]);
      if (target === undefined) return usageError(`Invalid argument type: ${positionals[0]}`);
      const lines = world
        .listObjects(target.bucket)
        .filter((key) => key.startsWith(target.key))
        .map(
          (key) =>
            `2026-01-01 00:00:00 ${String(Buffer.byteLength(world.getObject(target.bucket, key) ?? '')).padStart(10)} ${key}`,
        );
      return {
        code: lines.length > 0 ? 0 : 1,
        stdout: lines.map((l) => `${l}\n`).join(''),
        stderr: '',
      };
    },
  },
};

const GLOBAL_OPTIONS = ['--region', '--output', '--no-cli-pager', '--no-paginate', '--color'];

/** Runs `aws <argv>` against the world. */
export function aws(argv: readonly string[], env: NodeJS.ProcessEnv, world: World): CliResult {
  const args = [...argv];
  const globals: Record<string, string> = {};
  const rest: string[] = [];
  for (let at = 0; at < args.length; at += 1) {
    const arg = args[at];
    if (arg === '--query' || arg === '--profile' || arg === '--endpoint-url') {
      return usageError(`${arg} is not modelled by the rehearsal's fake aws`);
    }
    if (GLOBAL_OPTIONS.includes(arg)) {
      const takesValue = arg === '--region' || arg === '--output' || arg === '--color';
      globals[arg] = takesValue ? (args[at + 1] ?? '') : 'true';
      if (takesValue) at += 1;
      continue;
    }
    rest.push(arg);
  }
  if (rest[0] === '--version')
    return { code: 0, stdout: 'aws-cli/2.27.0 (rehearsal fake)\n', stderr: '' };
  const [service, command, ...parameters] = rest;
  if (service === undefined || command === undefined) {
    return usageError('the following arguments are required: command, subcommand');
  }
  const operation = OPERATIONS[`${service} ${command}`];
  if (operation === undefined) {
    return usageError(
      `argument operation: Invalid choice '${command}' for '${service}' (the fake knows: ${Object.keys(OPERATIONS).join(', ')})`,
    );
  }
  const params: Record<string, string | string[]> = {};
  const positionals: string[] = [];
  for (let at = 0; at < parameters.length; at += 1) {
    const arg = parameters[at];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const spec = operation.params[arg];
    if (spec === undefined) return usageError(`Unknown options: ${arg}`);
    if (spec.list) {
      const values: string[] = [];
      while (at + 1 < parameters.length && !parameters[at + 1].startsWith('--'))
        values.push(parameters[(at += 1)]);
      params[arg] = values;
    } else {
      if (at + 1 >= parameters.length) return usageError(`argument ${arg}: expected one argument`);
      params[arg] = parameters[(at += 1)];
    }
  }
  const missing = Object.entries(operation.params)
    .filter(([name, spec]) => spec.required && params[name] === undefined)
    .map(([name]) => name);
  if (missing.length > 0)
    return usageError(`the following arguments are required: ${missing.join(', ')}`);
  if (positionals.length !== (operation.positionals ?? 0)) {
    return usageError(
      `${service} ${command} takes ${operation.positionals ?? 0} positional arguments, got ${positionals.length}`,
    );
  }
  const region = globals['--region'] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (operation.needsRegion && (region === undefined || region === '')) {
    return {
      code: 253,
      stdout: '',
      stderr:
        'You must specify a region. You can also configure your region by running "aws configure".\n',
    };
  }
  const session = world.session(env);
  if ('error' in session) return { code: session.code, stdout: '', stderr: `\n${session.error}\n` };
  return operation.run({ params, positionals, region, session, world });
}
