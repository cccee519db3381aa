import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  TerraformJsonError,
  TerraformModule,
  TerraformResolver,
  parseTerraformJson,
  readTerraformJson,
  type TerraformJson,
} from '@monitored/terraform-json';

// A module written by hand in Terraform's JSON syntax, in two files, as a plain Terraform project
// (not cdktf) keeps one.
const PLAIN = path.join(__dirname, 'fixtures', 'plain');

describe('a plain Terraform module in *.tf.json', () => {
  const module = new TerraformModule(readTerraformJson(PLAIN));

  it('reads every file of the directory as one module', () => {
    expect(module.resources.map((resource) => resource.address)).toEqual([
      'aws_sns_topic.alerts',
      'aws_sns_topic.edge_alerts',
      'aws_cloudwatch_metric_alarm.errors',
    ]);
    expect(module.dataSources.map((source) => source.address)).toEqual([
      'data.aws_lambda_function.shop',
    ]);
    expect(module.variable('region')).toEqual({
      name: 'region',
      type: 'string',
      default: 'eu-west-1',
    });
    expect(module.output('topic_arn')?.value).toBe('${aws_sns_topic.alerts.arn}');
  });

  it("places each resource in its provider's region, a variable's default standing for it", () => {
    const [alerts, edge] = module.ofType('aws_sns_topic');
    expect(module.providers.map(({ key, region }) => ({ key, region }))).toEqual([
      { key: 'aws', region: 'eu-west-1' },
      { key: 'aws.edge', region: 'us-east-1' },
    ]);
    expect([module.regionOf(alerts), module.regionOf(edge)]).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('follows references from a resource to what it names', () => {
    const [alarm] = module.ofType('aws_cloudwatch_metric_alarm');
    expect(module.referencedBy(alarm.config.alarm_actions, 'aws_sns_topic')?.name).toBe('alerts');
    expect(
      module.referencing(
        'aws_cloudwatch_metric_alarm',
        'ok_actions',
        module.ofType('aws_sns_topic')[0],
      ),
    ).toEqual([alarm]);
    expect(
      module.referencing(
        'aws_cloudwatch_metric_alarm',
        'ok_actions',
        module.ofType('aws_sns_topic')[1],
      ),
    ).toEqual([]);
  });

  it('resolves references to values, with stand-ins for what only AWS knows', () => {
    const resolver = new TerraformResolver(module.json, (type, name, attribute) =>
      attribute === 'arn' ? `arn:aws:sns:eu-west-1:123456789012:${type}.${name}` : undefined,
    );
    const [alarm] = module.ofType('aws_cloudwatch_metric_alarm');
    expect(resolver.resolve(alarm.config.alarm_actions)).toEqual([
      'arn:aws:sns:eu-west-1:123456789012:aws_sns_topic.alerts',
    ]);
    expect(resolver.resolve(alarm.config.dimensions)).toEqual({ FunctionName: 'shop-api' });
    expect(resolver.resolve('${local.prefix}')).toBe('shop-eu-west-1');
  });

  it('refuses a directory whose files declare the same block twice, naming both files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-json-'));
    try {
      fs.copyFileSync(path.join(PLAIN, 'main.tf.json'), path.join(dir, 'a.tf.json'));
      fs.writeFileSync(
        path.join(dir, 'b.tf.json'),
        JSON.stringify({ resource: { aws_sns_topic: { alerts: { name: 'again' } } } }),
      );
      expect(() => readTerraformJson(dir)).toThrow(
        `aws_sns_topic.alerts is declared in both ${path.join(dir, 'a.tf.json')} and ${path.join(dir, 'b.tf.json')}`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a synthesized cdk.tf.json', () => {
  // The shape cdktf writes: `//` metadata with the construct path, providers as a list.
  const SYNTHESIZED: TerraformJson = {
    provider: { aws: [{ region: 'us-west-2' }, { alias: 'us_east_1', region: 'us-east-1' }] },
    resource: {
      aws_cloudwatch_log_group: {
        api_logs_A1B2C3D4: {
          '//': { metadata: { path: 'dev/api/logs', uniqueId: 'api_logs_A1B2C3D4' } },
          name: '/aws/lambda/msgs-dev-api',
          provider: 'aws.us_east_1',
        },
      },
    },
  };

  it("reads each resource's construct path from cdktf's metadata", () => {
    const module = new TerraformModule(SYNTHESIZED);
    const [group] = module.atPath('dev/api/logs');
    expect(group).toMatchObject({
      address: 'aws_cloudwatch_log_group.api_logs_A1B2C3D4',
      path: 'dev/api/logs',
      provider: 'aws.us_east_1',
    });
    expect(module.regionOf(group)).toBe('us-east-1');
  });
});

describe('references', () => {
  const module = new TerraformModule({
    resource: {
      aws_s3_bucket: { site: {}, site_logs: {} },
      aws_s3_bucket_policy: {
        // A reference inside a function call, next to one whose name begins like another's.
        p: { bucket: '${element(split(",", "${aws_s3_bucket.site_logs.id},x"), 0)}' },
        q: {
          bucket: 'aws_s3_bucket.site.id is no reference outside ${…}: $${aws_s3_bucket.site.id}',
        },
      },
    },
  });

  it('finds a reference inside any expression, and only the block it names', () => {
    const [p, q] = module.ofType('aws_s3_bucket_policy');
    expect(module.referencedResources(p.config.bucket).map((r) => r.address)).toEqual([
      'aws_s3_bucket.site_logs',
    ]);
    expect(module.referencedResources(q.config.bucket)).toEqual([]);
  });
});

describe('parseTerraformJson', () => {
  it('names the file and the problem of what is not Terraform JSON', () => {
    expect(() => parseTerraformJson('{', 'stack/cdk.tf.json')).toThrow(
      /^stack\/cdk\.tf\.json is not JSON: /,
    );
    expect(() => parseTerraformJson('[]', 'x.tf.json')).toThrow(
      new TerraformJsonError('x.tf.json is not a JSON object of Terraform blocks'),
    );
    expect(() => parseTerraformJson('{"resource": {"aws_s3_bucket": []}}', 'x.tf.json')).toThrow(
      'x.tf.json: resource.aws_s3_bucket is not an object of resources by name',
    );
  });
});
