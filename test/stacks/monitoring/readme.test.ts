import * as fs from 'node:fs';
import * as path from 'node:path';
import { STAGES } from '../../../stacks/config';
import { SERVICE_THRESHOLDS } from '../../../stacks/monitoring/thresholds';
import {
  canaryThresholds,
  deployedRecentlyThreshold,
  deployHoldThreshold,
  newCanaryGraceSeconds,
  type Threshold,
} from '@monitored/cloudwatch-model';
import { TEST_CONFIGS } from '../../support/synth';

const OPERATORS = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '>=',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
} as const;

/** The page that lists the alarms (the README links it). */
const PAGE = path.join(__dirname, '../../../docs/alarms-and-dashboard.md');

/** The page's alarm table, between its markers, one string per row. */
function pageRows(): string[] {
  const page = fs.readFileSync(PAGE, 'utf8');
  const table = /<!-- alarms:begin[^>]*-->\n([\s\S]*?)<!-- alarms:end -->/.exec(page)?.[1];
  if (table === undefined) throw new Error(`${PAGE} has no alarms table between its markers`);
  return table.trim().split('\n').slice(2);
}

function row(
  name: string,
  threshold: Threshold,
  periods: string,
  stages: string,
  value = String(threshold.threshold),
  evaluationPeriods = String(threshold.evaluationPeriods),
): string {
  const { metric, statistic, comparison, datapointsToAlarm, treatMissingData } = threshold;
  return `| \`${name}\` | \`${metric.namespace}\` \`${metric.name}\` | ${statistic} ${OPERATORS[comparison]} ${value} in ${datapointsToAlarm} of ${evaluationPeriods} periods of ${periods} | ${treatMissingData} | ${stages} |`;
}

/** A canary alarm's period in words, from a threshold built for an interval of 1 s. */
const intervals = (threshold: Threshold) =>
  ({ 1: "the canary's interval", 2: "twice the canary's interval" })[threshold.periodSeconds] ??
  `${threshold.periodSeconds} of the canary's intervals`;

describe("docs/alarms-and-dashboard.md's alarm table", () => {
  it('says what the thresholds and the stage config build, row by row', () => {
    const serviceStages = STAGES.filter((stage) => TEST_CONFIGS[stage].serviceAlarms).join(', ');
    const canary = canaryThresholds({ intervalSeconds: 1, retries: 1 });
    const deploy = deployHoldThreshold({
      namespace: 'msgs-<stage>',
      quieted: 'its "site down" alarm',
      releaseCommand: 'npm run deploy-alarm -- <stage> clear',
    });
    const recently = (stage: (typeof STAGES)[number]) =>
      deployedRecentlyThreshold(
        'msgs-<stage>',
        newCanaryGraceSeconds(Object.values(TEST_CONFIGS[stage].canaries)),
      );
    const kebab = (key: string) => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    const expected = [
      row(
        '<canary>-journey-failing',
        canary.journeyFailing,
        intervals(canary.journeyFailing),
        STAGES.join(', '),
      ),
      row(
        '<canary>-canary-not-running',
        canary.notRunning,
        intervals(canary.notRunning),
        STAGES.join(', '),
      ),
      row('<canary>-canary-broken', canary.broken, intervals(canary.broken), STAGES.join(', ')),
      row('deploy-in-progress', deploy, `${deploy.periodSeconds} s`, STAGES.join(', ')),
      row(
        'deployed-recently',
        recently('dev'),
        `${recently('dev').periodSeconds} s`,
        STAGES.join(', '),
        undefined,
        STAGES.map((stage) => `${recently(stage).evaluationPeriods} (${stage})`).join(', '),
      ),
      ...Object.entries(SERVICE_THRESHOLDS).map(([key, threshold]: [string, Threshold]) =>
        row(
          key === 'tableSystemErrors' ? 'table-system-errors-<operation>' : kebab(key),
          threshold,
          `${threshold.periodSeconds} s`,
          serviceStages,
          key === 'functionDurationNearTimeout'
            ? `${threshold.threshold} of the timeout`
            : undefined,
        ),
      ),
    ];
    expect(pageRows()).toEqual(expected);
  });
});
