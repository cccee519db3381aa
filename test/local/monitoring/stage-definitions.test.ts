import { METRICS } from '../../../stacks/monitoring/catalogue';
import {
  AlarmEngine,
  canaryFunctionName,
  LOCAL_API_ID,
  LOCAL_DISTRIBUTION_ID,
  MetricStore,
} from '@monitored/cloudwatch-local';
import { validateCompositeAlarm, validateMetricAlarm } from '@monitored/cloudwatch-model';
import {
  loadStageDefinitions,
  type StageDefinitions,
} from '../../../local/monitoring/stage-definitions';
import { TEST_TODAY } from '../../support/synth';

describe.each(['dev', 'prod'] as const)(
  'the %s definitions, read from the synthesized stack',
  (stage) => {
    let definitions: StageDefinitions;
    beforeAll(() => {
      definitions = loadStageDefinitions(stage, {
        today: TEST_TODAY,
        alertEmails: ['oncall@example.com'],
      });
    });

    it('are alarms PutMetricAlarm and PutCompositeAlarm would accept, and the local engine takes', () => {
      for (const alarm of definitions.metricAlarms) validateMetricAlarm(alarm);
      for (const alarm of definitions.compositeAlarms) validateCompositeAlarm(alarm);
      expect(
        () =>
          new AlarmEngine({
            // Long enough for the longest evaluation range (dev's website canary: 3 days).
            store: new MetricStore({ catalogue: METRICS, retentionMs: 7 * 24 * 3600 * 1000 }),
            accountId: definitions.accountId,
            metricAlarms: definitions.metricAlarms,
            compositeAlarms: definitions.compositeAlarms,
            createdAt: 0,
          }),
      ).not.toThrow();
    });

    it('resolve every dimension to the names and local ids the local system records under', () => {
      const values = new Set(
        definitions.metricAlarms.flatMap((alarm) => Object.values(alarm.dimensions)),
      );
      expect([...values].filter((value) => value.includes('${'))).toEqual([]);
      expect(values).toContain(`msgs-${stage}-api`);
      if (stage === 'prod') {
        expect(values).toContain(LOCAL_API_ID);
        expect(values).toContain(`msgs-${stage}-messages`);
        expect(values).toContain(LOCAL_DISTRIBUTION_ID);
      }
    });

    it('resolve the dashboard body completely', () => {
      expect(JSON.stringify(definitions.dashboard.body)).not.toContain('${');
      expect(definitions.dashboard.name).toBe(`msgs-${stage}-health`);
    });

    it("resolve each canary's log group from its engine ARN's stand-in", () => {
      expect(definitions.canaries.api).toMatchObject({
        name: `msgs-${stage}-api`,
        logGroupName: `/aws/lambda/${canaryFunctionName(`msgs-${stage}-api`)}`,
      });
    });

    it("send every alarm's actions to a topic with its email subscriptions", () => {
      const topics = new Map(definitions.topics.map((topic) => [topic.arn, topic]));
      for (const alarm of [...definitions.metricAlarms, ...definitions.compositeAlarms]) {
        for (const action of [...alarm.alarmActions, ...alarm.okActions]) {
          expect(topics.get(action)).toMatchObject({
            region: alarm.region,
            emails: ['oncall@example.com'],
          });
        }
      }
    });
  },
);
