import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { readTerraformJson, TerraformModule } from '@monitored/terraform-json';
import { exemptionsOf } from '@monitored/terraform-policy';
import { writeZip } from '../../../bundling/zip';
import { FileAsset } from '@monitored/cdktf-monitoring';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import type { MessageSystemStack } from '../../../stacks/message-system-stack';
import { exemptFromRule } from '@monitored/terraform-policy/cdktf';
import { MESSAGES_FUNCTION } from '../../../contract/function';
import { DEPRECATION_WARNING_DAYS, RUNTIME_DEPRECATION } from '@monitored/terraform-policy';
import { buildStage, TEST_TODAY } from '../../support/synth';

const DAY_MS = 24 * 60 * 60 * 1000;
const { runtime } = MESSAGES_FUNCTION;
const deprecated = RUNTIME_DEPRECATION[runtime];
const deprecation = new Date(`${deprecated}T00:00:00Z`);

/** The annotations of `type` (`@cdktf/warn`, `@cdktf/error`) anywhere in the stack. */
function annotations(stack: MessageSystemStack, type: string): string[] {
  return stack.node
    .findAll()
    .flatMap((construct) => construct.node.metadata)
    .filter((entry) => entry.type === type)
    .map((entry) => String(entry.data));
}

/** Builds the dev stack, lets `breakIt` change it, and synthesizes as `cdktf synth` does. */
function synthBroken(breakIt: (stack: MessageSystemStack) => void): () => void {
  const stack = buildStage('dev');
  breakIt(stack);
  return () => App.of(stack).synth();
}

describe('policy checks at synth', () => {
  it('pass the stacks as built', () => {
    expect(synthBroken(() => undefined)).not.toThrow();
  });

  it('fail on a public bucket policy, naming the rule and the resource', () => {
    const run = synthBroken((stack) => {
      new S3BucketPolicy(stack, 'public-policy', {
        bucket: stack.website.bucket.id,
        policy: JSON.stringify({
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: `${stack.website.bucket.arn}/*`,
            },
          ],
        }),
      });
    });
    expect(run).toThrow(
      /\[s3-no-public-policy\] aws_s3_bucket_policy\.public-policy: allows s3:GetObject to everyone/,
    );
  });

  it('fail on a deprecated runtime', () => {
    const run = synthBroken((stack) => {
      stack.api.handler.function.runtime = 'nodejs18.x';
    });
    expect(run).toThrow(
      /\[lambda-runtime-supported\] aws_lambda_function\.api_handler_function_[0-9A-F]+: runtime nodejs18\.x was deprecated on 2025-09-01/,
    );
  });

  describe("judge the function's runtime by the day given to the stack", () => {
    it(`say nothing on the test day, more than ${DEPRECATION_WARNING_DAYS} days before ${runtime}'s deprecation`, () => {
      expect(deprecation.getTime() - TEST_TODAY.getTime()).toBeGreaterThan(
        DEPRECATION_WARNING_DAYS * DAY_MS,
      );
      const stack = buildStage('dev');
      App.of(stack).synth();
      expect(annotations(stack, '@cdktf/warn')).toEqual([]);
    });

    it(`warn on the function, naming the runtime and the date, within ${DEPRECATION_WARNING_DAYS} days of it`, () => {
      const stack = buildStage('dev', {}, new Date(deprecation.getTime() - 30 * DAY_MS));
      expect(() => App.of(stack).synth()).not.toThrow();
      expect(annotations(stack, '@cdktf/warn')).toEqual([
        expect.stringMatching(
          new RegExp(
            `^\\[lambda-runtime-supported\\] aws_lambda_function\\.api_handler_function_[0-9A-F]+: runtime ${runtime.replace('.', '\\.')} is deprecated on ${deprecated}, in 30 days; synth fails from that day$`,
          ),
        ),
      ]);
      expect(stack.api.handler.function.node.metadata.map((entry) => entry.type)).toContain(
        '@cdktf/warn',
      );
    });

    it('fail from the deprecation date on', () => {
      const stack = buildStage('dev', {}, deprecation);
      expect(() => App.of(stack).synth()).toThrow(
        `runtime ${runtime} was deprecated on ${deprecated}`,
      );
    });
  });

  it('fail on a log group without retention', () => {
    const run = synthBroken((stack) => {
      new CloudwatchLogGroup(stack, 'forever', { name: '/aws/lambda/forgotten' });
    });
    expect(run).toThrow(
      /\[log-group-retention\] aws_cloudwatch_log_group\.forever: no retention_in_days/,
    );
  });

  it('fail on CORS for any origin', () => {
    const run = synthBroken((stack) => {
      stack.api.api.corsConfiguration.allowOrigins = ['*'];
    });
    expect(run).toThrow(
      /\[cors-no-wildcard\] aws_apigatewayv2_api\.api_[0-9A-F]+: CORS allows any origin/,
    );
  });

  describe('fail on a broken canary, naming the rule and the canary', () => {
    const API_CANARY = 'aws_synthetics_canary\\.canaries_api_canary_[0-9A-F]+';
    const failure = (rule: string, why: string) =>
      new RegExp(`\\[${rule}\\] ${API_CANARY}: ${why}`);
    const zipDir = fs.mkdtempSync(path.join(os.tmpdir(), 'broken-canary-'));
    afterAll(() => fs.rmSync(zipDir, { recursive: true, force: true }));

    it('a deprecated runtime', () => {
      const run = synthBroken((stack) => {
        stack.canaries.byName.api.canary.runtimeVersion = 'syn-nodejs-puppeteer-7.0';
      });
      expect(run).toThrow(
        failure(
          'synthetics-runtime-supported',
          'runtime syn-nodejs-puppeteer-7\\.0 was deprecated on 2026-01-22',
        ),
      );
    });

    it('a zip whose layout does not match the handler', () => {
      const run = synthBroken((stack) => {
        const zipFile = path.join(zipDir, 'api.zip');
        writeZip(zipFile, [{ name: 'lib/api.js', data: Buffer.from('exports.handler = 1;') }]);
        stack.canaries.byName.api.canary.zipFile = new FileAsset(stack, 'misplaced', {
          sourceFile: zipFile,
        }).path;
      });
      expect(run).toThrow(
        failure(
          'synthetics-canary-zip',
          'handler api\\.handler needs nodejs/node_modules/api\\.js or api\\.js in the zip, which has lib/api\\.js',
        ),
      );
    });

    it('a name AWS would cut', () => {
      const run = synthBroken((stack) => {
        stack.canaries.byName.api.canary.name = 'msgs-dev-api-journey-1';
      });
      expect(run).toThrow(failure('synthetics-canary-name', 'name "msgs-dev-api-journey-1" is 22'));
    });

    it('a canary that is never started', () => {
      const run = synthBroken((stack) => {
        stack.canaries.byName.api.canary.startCanary = false;
      });
      expect(run).toThrow(failure('synthetics-start-and-cleanup', 'start_canary is not true'));
    });

    it('a rate Synthetics does not take', () => {
      const run = synthBroken((stack) => {
        stack.canaries.byName.api.canary.schedule.expression = 'rate(2 hours)';
      });
      expect(run).toThrow(failure('synthetics-run-config', 'schedule rate\\(2 hours\\)'));
    });

    it('an artifact bucket with a period in its name', () => {
      const run = synthBroken((stack) => {
        stack.canaries.artifactBucket.bucketPrefix = 'msgs.dev-canary-artifacts-';
      });
      expect(run).toThrow(
        failure(
          'synthetics-artifact-bucket',
          'artifact bucket aws_s3_bucket\\.canaries_artifacts_bucket_[0-9A-F]+ has a period',
        ),
      );
    });
  });

  it('accept an exemption with a written reason, and report it', () => {
    const stack = buildStage('dev');
    const group = new CloudwatchLogGroup(stack, 'audit', { name: '/audit/kept-forever' });
    exemptFromRule(
      group,
      'log-group-retention',
      'Audit logs must be kept indefinitely by policy XYZ-12',
    );
    expect(() => App.of(stack).synth()).not.toThrow();
    const messages = group.node.metadata.map((entry) => String(entry.data));
    expect(messages).toContain(
      '[log-group-retention] aws_cloudwatch_log_group.audit exempt: Audit logs must be kept indefinitely by policy XYZ-12',
    );
  });

  it('write the exemption into the synthesized JSON, where a reader of cdk.tf.json finds it', () => {
    const stack = buildStage('dev');
    const group = new CloudwatchLogGroup(stack, 'audit', { name: '/audit/kept-forever' });
    const reason = 'Audit logs must be kept indefinitely by policy XYZ-12';
    exemptFromRule(group, 'log-group-retention', reason);
    const app = App.of(stack);
    app.synth();
    const json = readTerraformJson(path.join(app.outdir, 'stacks', 'dev', 'cdk.tf.json'));
    const [audit] = new TerraformModule(json).atPath('dev/audit');
    expect(exemptionsOf(audit)).toEqual([{ rule: 'log-group-retention', reason }]);
    expect(audit.config['//']).toMatchObject({ metadata: { path: 'dev/audit' } });
  });

  it('refuse an exemption without a reason', () => {
    const stack = buildStage('dev');
    const group = new CloudwatchLogGroup(stack, 'audit', { name: '/audit/x', retentionInDays: 1 });
    expect(() => exemptFromRule(group, 'log-group-retention', ' ')).toThrow(/needs a reason/);
  });
});
