import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import {
  CanaryGroup,
  CanaryPaging,
  canaryPaging,
  physicalName,
  type CanaryPagingProps,
} from '@monitored/cdktf-monitoring';
import type { CanarySchedule } from '@monitored/cloudwatch-model';

// Canaries that page through one composite a deploy keeps quiet, built only from the package's
// exports, and the Terraform JSON it synthesizes, property by property.

type Resource = Record<string, unknown>;
interface Json {
  resource: Record<string, Record<string, Resource>>;
}

const PREFIX = 'shop-test';
const REGION = 'eu-west-1';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:shop-test-alarms';

const SCHEDULES = {
  // 300 s, then a run and a retry of 60 s.
  checkout: { expression: 'rate(5 minutes)', maxRetries: 1, timeoutSeconds: 60, memoryMb: 960 },
  // 3,600 s, one run of 120 s.
  catalogue: { expression: 'rate(1 hour)', maxRetries: 0, timeoutSeconds: 120, memoryMb: 960 },
} satisfies Record<string, CanarySchedule>;
type Key = keyof typeof SCHEDULES;

let workdir: string;
beforeAll(() => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-paging-'));
  fs.writeFileSync(path.join(workdir, 'journey.zip'), 'not really a zip: the asset only copies it');
});
afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

/** A stack with the two canaries, and whatever `build` makes of them. */
function synth(
  build: (stack: TerraformStack, props: CanaryPagingProps<Key>) => void,
  change: Partial<CanaryPagingProps<Key>> = {},
  schedules: Record<Key, CanarySchedule> = SCHEDULES,
): Json {
  const stack = new TerraformStack(Testing.app({ outdir: workdir }), 'test');
  new AwsProvider(stack, 'aws', { region: REGION });
  const group = new CanaryGroup(stack, 'canaries', {
    namePrefix: PREFIX,
    region: REGION,
    accountId: '123456789012',
    runtime: 'syn-nodejs-puppeteer-13.0',
    retentionDays: 14,
    permissionsBoundary: 'arn:aws:iam::123456789012:policy/shop-boundary',
    canaries: Object.fromEntries(
      (Object.keys(schedules) as Key[]).map((key) => [
        key,
        {
          name: physicalName(PREFIX, key, 'canary'),
          bundle: { zipFile: path.join(workdir, 'journey.zip'), handler: `${key}.handler` },
          schedule: schedules[key],
          environment: {},
        },
      ]),
    ) as Record<Key, never>,
  });
  build(stack, {
    canaries: {
      checkout: {
        canary: group.byName.checkout,
        journeyCheckFirst: 'the failed step and its screenshot',
        links: { journeyFailing: ['Runbook: https://example.com/checkout'] },
      },
      catalogue: { canary: group.byName.catalogue },
    },
    destination: { region: REGION, topicArn: TOPIC },
    alarmName: (id) => physicalName(PREFIX, id, 'cloudwatchAlarm'),
    deployHold: {
      namespace: PREFIX,
      howHeld: 'Held and released by ./deploy around each deploy.',
      releaseCommand: './deploy --release',
    },
    pagingDescription: 'The shop is down or unwatched.',
    links: ['Dashboard: https://example.com/dashboard'],
    ...change,
  });
  return JSON.parse(Testing.synth(stack)) as Json;
}

const construct = (change: Partial<CanaryPagingProps<Key>> = {}) =>
  synth((stack, props) => new CanaryPaging(stack, 'paging', props), change);

const named = (json: Json, type: string, name: string): Resource => {
  const found = Object.values(json.resource[type] ?? {}).find((r) => r.alarm_name === name);
  if (found === undefined) throw new Error(`no ${type} ${name}`);
  return found;
};
const alarm = (json: Json, what: string) =>
  named(json, 'aws_cloudwatch_metric_alarm', `${PREFIX}-${what}`);
const composite = (json: Json) =>
  named(json, 'aws_cloudwatch_composite_alarm', `${PREFIX}-site-down`);
/** The resource's address in the JSON: cdktf names it after its construct path. */
const addressOf = (json: Json, type: string, name: string) =>
  Object.entries(json.resource[type]).find(([, r]) => r.alarm_name === name)?.[0];

describe('CanaryPaging', () => {
  it("gives each canary three alarms on its schedule's periods, named from their ids", () => {
    const json = construct();
    expect(Object.keys(json.resource.aws_cloudwatch_metric_alarm)).toHaveLength(8);
    expect(alarm(json, 'checkout-journey-failing')).toMatchObject({
      metric_name: 'SuccessPercentWithRetries',
      period: 300,
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
    });
    expect(alarm(json, 'catalogue-journey-failing')).toMatchObject({
      // No retries: every run is the scheduled run.
      metric_name: 'SuccessPercent',
      period: 3600,
    });
    expect(alarm(json, 'catalogue-canary-broken')).toMatchObject({
      metric_name: 'Failed',
      alarm_actions: [TOPIC],
    });
    expect(
      addressOf(json, 'aws_cloudwatch_metric_alarm', `${PREFIX}-checkout-canary-not-running`),
    ).toMatch(/^paging_checkout-canary-not-running_[0-9A-F]{8}$/);
  });

  it('leaves "not running" and "deployed recently" without actions: they page through the composite', () => {
    const json = construct();
    for (const what of [
      'checkout-canary-not-running',
      'catalogue-canary-not-running',
      'deployed-recently',
    ]) {
      expect(alarm(json, what)).not.toHaveProperty('alarm_actions');
      expect(alarm(json, what)).not.toHaveProperty('ok_actions');
    }
    expect(alarm(json, 'checkout-canary-not-running')).toMatchObject({
      statistic: 'SampleCount',
      treat_missing_data: 'breaching',
    });
  });

  it('says in the descriptions what the caller gives: what to check first, links, how the deploy holds', () => {
    const json = construct();
    expect(alarm(json, 'checkout-journey-failing').alarm_description).toBe(
      'The journey failed: a step a person takes did not work, even after a retry. Check first: the failed step and its screenshot. Runbook: https://example.com/checkout',
    );
    expect(alarm(json, 'catalogue-journey-failing').alarm_description).toMatch(
      /Check first: the canary's failed run\.$/,
    );
    expect(alarm(json, 'deploy-in-progress')).toMatchObject({
      namespace: PREFIX,
      metric_name: 'DeployInProgress',
      statistic: 'Sum',
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
      alarm_description:
        'A deploy holds this stage: the paging alarm sends nothing until it is released, or until the hold ends by itself about 2 hours after it was taken. ' +
        'Held and released by ./deploy around each deploy. ' +
        'Check first: whether a deploy of the stage is running (the pipeline, or someone by hand); if none is, release it: ./deploy --release. ' +
        'Dashboard: https://example.com/dashboard',
    });
    expect(composite(json).alarm_description).toBe('The shop is down or unwatched.');
  });

  it("counts a deploy as recent for the slowest canary's first run and 5 minutes", () => {
    // rate(1 hour): 3,600 s and one run of 120 s, then 300 s: 67 minutes.
    expect(alarm(construct(), 'deployed-recently')).toMatchObject({
      namespace: PREFIX,
      metric_name: 'DeployInProgress',
      statistic: 'SampleCount',
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      period: 60,
      evaluation_periods: 67,
      datapoints_to_alarm: 1,
      treat_missing_data: 'notBreaching',
    });
  });

  it('pages on any journey, or any canary not running unless deployed recently, in the order given', () => {
    const paging = composite(construct());
    expect(paging.alarm_rule).toBe(
      'ALARM("shop-test-checkout-journey-failing") OR ALARM("shop-test-catalogue-journey-failing") OR ' +
        '((ALARM("shop-test-checkout-canary-not-running") OR ALARM("shop-test-catalogue-canary-not-running")) AND NOT ALARM("shop-test-deployed-recently"))',
    );
    expect(paging).toMatchObject({ alarm_actions: [TOPIC], ok_actions: [TOPIC] });
    expect(paging.depends_on).toHaveLength(6);
  });

  it('waits a minute for the deploy alarm, and after a deploy for the soonest canary to run again', () => {
    expect(composite(construct()).actions_suppressor).toEqual({
      alarm: `${PREFIX}-deploy-in-progress`,
      wait_period: 60,
      // checkout: 300 s, a run and a retry of 60 s, and a minute.
      extension_period: 480,
    });
    expect(
      composite(construct({ settleAfterDeploy: 'catalogue' })).actions_suppressor,
    ).toMatchObject({ extension_period: 3600 + 120 + 60 });
  });

  it('builds in the scope given with canaryPaging, for a construct that holds other alarms beside', () => {
    const json = synth((stack, props) => canaryPaging(stack, props));
    expect(addressOf(json, 'aws_cloudwatch_metric_alarm', `${PREFIX}-deployed-recently`)).toBe(
      'deployed-recently',
    );
    expect(addressOf(json, 'aws_cloudwatch_composite_alarm', `${PREFIX}-site-down`)).toBe(
      'site-down',
    );
  });

  it('refuses a canary that runs once: it has no interval to alarm on', () => {
    expect(() =>
      synth(
        (stack, props) => new CanaryPaging(stack, 'paging', props),
        {},
        {
          ...SCHEDULES,
          catalogue: { ...SCHEDULES.catalogue, expression: 'rate(0 minute)' },
        },
      ),
    ).toThrow(
      'canary shop-test-catalogue: alarms need a canary that runs on a schedule (rate(0 minute))',
    );
  });

  it("is what the README's table says, alarm by alarm: its id, and whether it notifies", () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const section = /^## CanaryPaging\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
    const rows = [...section.matchAll(/^\| `([^`]+)`[^|]*\|[^|]*\| ([^|]+) \|$/gm)].map(
      ([, id, notifies]) => ({ id, notifies: notifies.trim() === 'ALARM and OK' }),
    );
    const json = construct();
    const built = [
      ...Object.values(json.resource.aws_cloudwatch_metric_alarm),
      ...Object.values(json.resource.aws_cloudwatch_composite_alarm),
    ].map((r) => ({ name: String(r.alarm_name), notifies: 'alarm_actions' in r }));

    const documented = rows.flatMap(({ id, notifies }) =>
      (id.includes('<key>') ? Object.keys(SCHEDULES) : ['']).map((key) => ({
        name: `${PREFIX}-${id.replace('<key>', key)}`,
        notifies,
      })),
    );
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(documented.sort(byName)).toEqual(built.sort(byName));
  });
});
