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
import { FAKE_ACCOUNT, type Alarm, type AlarmState, type Session, type World } from './world';

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

/** The alarm states SetAlarmState accepts (CloudWatch API reference, StateValue). */
const STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

function describeAlarm(alarm: Alarm, region: string) {
  return {
    AlarmName: alarm.name,
    AlarmArn: `arn:aws:cloudwatch:${region}:${FAKE_ACCOUNT}:alarm:${alarm.name}`,
    StateValue: alarm.state,
    StateReason: alarm.reason,
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

  'cloudwatch set-alarm-state': {
    api: 'SetAlarmState',
    params: {
      '--alarm-name': { required: true },
      '--state-value': { required: true },
      '--state-reason': { required: true },
      '--state-reason-data': {},
    },
    needsRegion: true,
    run: ({ params, region, world, session }) => {
      const name = text(params['--alarm-name']) ?? '';
      const state = text(params['--state-value']) as AlarmState;
      const reason = text(params['--state-reason']) ?? '';
      if (!STATES.includes(state)) {
        return serviceError(
          'ValidationError',
          'SetAlarmState',
          `1 validation error detected: Value '${state}' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]`,
        );
      }
      if (reason.length > 1023) {
        return serviceError(
          'ValidationError',
          'SetAlarmState',
          "Value at 'stateReason' failed to satisfy constraint: Member must have length less than or equal to 1023",
        );
      }
      const data = world.cloudwatch(region ?? '');
      const alarm = data.alarms[name];
      if (alarm === undefined) {
        return serviceError('ResourceNotFound', 'SetAlarmState', `Alarm ${name} not found`);
      }
      alarm.state = state;
      alarm.reason = reason;
      alarm.changedBy = session.role;
      world.saveCloudwatch(region ?? '', data);
      return ok();
    },
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
      const alarms = Object.values(world.cloudwatch(region ?? '').alarms).filter(
        (alarm) =>
          (names === undefined || (names as string[]).includes(alarm.name)) &&
          (prefix === undefined || alarm.name.startsWith(prefix)) &&
          (state === undefined || alarm.state === state),
      );
      return ok({
        MetricAlarms: types.includes('MetricAlarm')
          ? alarms
              .filter((a) => a.kind === 'metric')
              .map((alarm) => describeAlarm(alarm, region ?? ''))
          : [],
        CompositeAlarms: types.includes('CompositeAlarm')
          ? alarms
              .filter((a) => a.kind === 'composite')
              .map((alarm) => describeAlarm(alarm, region ?? ''))
          : [],
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
    run: ({ params, region, world }) => {
      const namespace = text(params['--namespace']) ?? '';
      // "You cannot use a namespace that begins with AWS/" (PutMetricData, Namespace).
      if (/^AWS\//.test(namespace)) {
        return serviceError(
          'InvalidParameterValue',
          'PutMetricData',
          `The value AWS/ for parameter Namespace is invalid.`,
        );
      }
      const data = world.cloudwatch(region ?? '');
      const json = text(params['--metric-data']);
      if (json !== undefined) {
        for (const datum of JSON.parse(json) as {
          MetricName: string;
          Value: number;
          Dimensions?: { Name: string; Value: string }[];
        }[]) {
          data.metricData.push({
            namespace,
            name: datum.MetricName,
            value: datum.Value,
            dimensions: Object.fromEntries((datum.Dimensions ?? []).map((d) => [d.Name, d.Value])),
          });
        }
      } else {
        const name = text(params['--metric-name']);
        const value = Number(text(params['--value']));
        if (name === undefined || Number.isNaN(value)) {
          return usageError(
            'put-metric-data needs --metric-data, or --metric-name with a numeric --value',
          );
        }
        data.metricData.push({
          namespace,
          name,
          value,
          dimensions: parseDimensions(text(params['--dimensions'])),
        });
      }
      world.saveCloudwatch(region ?? '', data);
      return ok();
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
