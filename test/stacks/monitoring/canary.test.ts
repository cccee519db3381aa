import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeZip } from '../../../bundling/zip';
import { Canary, type CanaryProps } from '@monitored/cdktf-monitoring';
import { synthScope } from '../../support/synth';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-construct-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function zipOf(name: string, script: string): string {
  const file = path.join(dir, name, 'api.zip');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeZip(file, [{ name: 'nodejs/node_modules/api.js', data: Buffer.from(script) }]);
  return file;
}

const props = (zipFile: string, runtime = 'syn-nodejs-puppeteer-15.0'): CanaryProps => ({
  name: 'msgs-test-api',
  bundle: { zipFile, handler: 'api.handler' },
  runtime,
  schedule: { expression: 'rate(6 minutes)', maxRetries: 1, timeoutSeconds: 60, memoryMb: 960 },
  executionRoleArn: 'arn:aws:iam::000000000000:role/msgs-test-canaries',
  artifactS3Location: 's3://msgs-test-artifacts/msgs-test-api/',
  environment: { API_URL: 'https://abc.execute-api.us-west-2.amazonaws.com' },
  retentionDays: 14,
  dependsOn: [],
});

/** The zip_file path of a canary built from `canaryProps`. */
function zipPath(canaryProps: CanaryProps): string {
  const synthesized = synthScope((scope) => new Canary(scope, 'api', canaryProps));
  return String(synthesized.only('aws_synthetics_canary').zip_file);
}

describe('Canary', () => {
  const first = zipOf('first', 'exports.handler = async () => 1;');

  it('puts its zip at a path that stays while the zip and the runtime stay', () => {
    const again = zipOf('again', 'exports.handler = async () => 1;');
    expect(zipPath(props(again))).toBe(zipPath(props(first)));
  });

  it('moves its zip to a new path when the content changes, which the provider notices', () => {
    const changed = zipOf('changed', 'exports.handler = async () => 2;');
    expect(zipPath(props(changed))).not.toBe(zipPath(props(first)));
  });

  it('moves its zip to a new path when only the runtime changes, which the provider requires', () => {
    expect(zipPath(props(first, 'syn-nodejs-puppeteer-14.0'))).not.toBe(zipPath(props(first)));
  });

  it('names its log group after the Lambda in its engine_arn and keeps it as long as its runs', () => {
    const synthesized = synthScope((scope) => new Canary(scope, 'api', props(first)));
    const engineArn = synthesized.ref('aws_synthetics_canary', 'engine_arn').slice(2, -1);
    expect(synthesized.only('aws_cloudwatch_log_group')).toEqual({
      name: `/aws/lambda/\${element(split(":", ${engineArn}), 6)}`,
      retention_in_days: 14,
    });
    expect(synthesized.only('aws_synthetics_canary')).toMatchObject({
      success_retention_period: 14,
      failure_retention_period: 14,
    });
  });
});
