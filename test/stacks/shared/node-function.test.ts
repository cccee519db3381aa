import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { bundleLambda } from '../../../bundling/lambda';
import type { FunctionSettings } from '../../../contract/function';
import { PolicyChecks } from '../../../stacks/policy/policy-checks';
import { NodeFunction, type NodeFunctionProps } from '@monitored/cdktf-monitoring';
import { policyStatements, synthScope, TEST_TODAY, testApp } from '../../support/synth';

const SETTINGS: FunctionSettings = {
  runtime: 'nodejs22.x',
  architecture: 'arm64',
  memoryMb: 512,
  timeoutSeconds: 7,
  nodeOptions: '--enable-source-maps',
  systemLogLevel: 'INFO',
};

function newFunction(scope: Construct, props: Partial<NodeFunctionProps> = {}): NodeFunction {
  return new NodeFunction(scope, 'fn', {
    functionName: 'msgs-test-fn',
    roleName: 'msgs-test-fn-role',
    permissionsBoundary: 'arn:aws:iam::123456789012:policy/msgs-boundary-test',
    bundle: bundleLambda(),
    logLevel: 'INFO',
    logRetentionDays: 14,
    settings: SETTINGS,
    ...props,
  });
}

function newTable(scope: Construct, id = 'table'): DynamodbTable {
  return new DynamodbTable(scope, id, {
    name: `msgs-test-${id}`,
    hashKey: 'id',
    attribute: [{ name: 'id', type: 'S' }],
  });
}

const variablesOf = (fn: Record<string, unknown>) =>
  (fn.environment as { variables: Record<string, string> }).variables;

describe('NodeFunction', () => {
  describe('as built', () => {
    const synthesized = synthScope((scope) => {
      newFunction(scope, { environment: { GREETING: 'hello' } });
    });
    const fn = () => synthesized.only('aws_lambda_function');

    it('runs the runtime, architecture, memory and timeout of its settings from a hash-named asset', () => {
      expect(fn()).toMatchObject({
        function_name: 'msgs-test-fn',
        runtime: 'nodejs22.x',
        architectures: ['arm64'],
        memory_size: 512,
        timeout: 7,
        handler: 'index.handler',
        role: synthesized.ref('aws_iam_role', 'arn'),
      });
      expect(fn().filename).toMatch(/^assets\/.+\/[0-9A-F]{32}\/function\.zip$/);
      expect(String(fn().filename)).toContain(String(fn().source_code_hash));
    });

    it('sets NODE_OPTIONS from its settings beside the environment it is given', () => {
      expect(variablesOf(fn())).toEqual({
        NODE_OPTIONS: '--enable-source-maps',
        GREETING: 'hello',
      });
    });

    it('logs JSON at the given level to its own log group with the given retention', () => {
      expect(fn().logging_config).toEqual({
        log_format: 'JSON',
        application_log_level: 'INFO',
        // INFO keeps the platform's START and REPORT lines: duration, memory and init time.
        system_log_level: 'INFO',
        log_group: synthesized.ref('aws_cloudwatch_log_group', 'name'),
      });
      expect(synthesized.only('aws_cloudwatch_log_group')).toEqual({
        name: '/aws/lambda/msgs-test-fn',
        retention_in_days: 14,
      });
    });

    const address = (type: string) => synthesized.ref(type, 'id').replace(/^\$\{(.+)\.id\}$/, '$1');

    it('is created after its log group, so Lambda never creates one without retention', () => {
      expect(fn().depends_on).toContain(address('aws_cloudwatch_log_group'));
    });

    it("is created after its role's policy, so the first requests after an apply are not denied", () => {
      expect(fn().depends_on).toContain(address('aws_iam_role_policy'));
      expect(fn().depends_on).toHaveLength(2);
    });

    it('has a role only Lambda may assume', () => {
      expect(synthesized.only('aws_iam_role').name).toBe('msgs-test-fn-role');
      expect(policyStatements(synthesized.only('aws_iam_role').assume_role_policy)).toEqual([
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'lambda.amazonaws.com' },
        },
      ]);
    });

    it('may write to its own log group and do nothing else', () => {
      const policy = synthesized.only('aws_iam_role_policy');
      expect(policy.role).toBe(synthesized.ref('aws_iam_role', 'id'));
      expect(policyStatements(policy.policy)).toEqual([
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${synthesized.ref('aws_cloudwatch_log_group', 'arn')}:*`,
        },
      ]);
    });
  });

  describe('bindTable', () => {
    it("sets the variable to the table's name and grants the actions on that table only", () => {
      const synthesized = synthScope((scope) => {
        const table = newTable(scope);
        newFunction(scope).bindTable(table, {
          variable: 'TABLE_NAME',
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
          sid: 'ReadWriteThings',
        });
      });
      expect(variablesOf(synthesized.only('aws_lambda_function')).TABLE_NAME).toBe(
        synthesized.ref('aws_dynamodb_table', 'name'),
      );
      const [, grant] = policyStatements(synthesized.only('aws_iam_role_policy').policy);
      expect(grant).toEqual({
        Sid: 'ReadWriteThings',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: synthesized.ref('aws_dynamodb_table', 'arn'),
      });
    });

    it('binds several tables, each under its own variable, in the same two resources', () => {
      const synthesized = synthScope((scope) => {
        const fn = newFunction(scope, {
          statements: [{ Sid: 'Given', Effect: 'Allow', Action: 'sns:Publish', Resource: 'arn:x' }],
        });
        fn.bindTable(newTable(scope, 'first'), {
          variable: 'FIRST_TABLE',
          actions: ['dynamodb:GetItem'],
          sid: 'ReadFirst',
        });
        fn.bindTable(newTable(scope, 'second'), {
          variable: 'SECOND_TABLE',
          actions: ['dynamodb:PutItem'],
          sid: 'WriteSecond',
        });
      });
      const variables = variablesOf(synthesized.only('aws_lambda_function'));
      expect(variables.FIRST_TABLE).toMatch(/^\$\{aws_dynamodb_table\.first\.name\}$/);
      expect(variables.SECOND_TABLE).toMatch(/^\$\{aws_dynamodb_table\.second\.name\}$/);
      const statements = policyStatements(synthesized.only('aws_iam_role_policy').policy);
      expect(statements.map((statement) => [statement.Sid, statement.Resource])).toEqual([
        ['WriteOwnLogs', expect.any(String)],
        ['Given', 'arn:x'],
        ['ReadFirst', '${aws_dynamodb_table.first.arn}'],
        ['WriteSecond', '${aws_dynamodb_table.second.arn}'],
      ]);
    });

    it('refuses a variable that is already set, naming it', () => {
      synthScope((scope) => {
        const fn = newFunction(scope, { environment: { TABLE_NAME: 'other' } });
        expect(() =>
          fn.bindTable(newTable(scope), {
            variable: 'TABLE_NAME',
            actions: ['dynamodb:GetItem'],
            sid: 'Read',
          }),
        ).toThrow('test/fn: environment variable TABLE_NAME is already set');
      });
    });
  });

  it('shows the policy checks the environment as synthesized (Powertools level against Lambda level)', () => {
    const stack = new TerraformStack(testApp(), 'test');
    Aspects.of(stack).add(new PolicyChecks({ today: TEST_TODAY }));
    const fn = newFunction(stack, {
      logLevel: 'INFO',
      environment: { POWERTOOLS_LOG_LEVEL: 'DEBUG' },
    });
    Testing.synth(stack);
    const errors = fn.function.node.metadata.filter((entry) => entry.type === '@cdktf/error');
    expect(errors.map((entry) => String(entry.data))).toEqual([
      expect.stringMatching(
        /^\[lambda-log-level\] .*: POWERTOOLS_LOG_LEVEL is DEBUG but Lambda's application_log_level is INFO$/,
      ),
    ]);
  });

  it('creates every resource through the provider it is given', () => {
    const synthesized = synthScope((scope) => {
      new AwsProvider(scope, 'aws', { region: 'us-west-2' });
      const east = new AwsProvider(scope, 'east', { region: 'us-east-1', alias: 'us-east-1' });
      newFunction(scope, { provider: east });
    });
    for (const type of [
      'aws_lambda_function',
      'aws_iam_role',
      'aws_iam_role_policy',
      'aws_cloudwatch_log_group',
    ]) {
      expect(synthesized.only(type).provider).toBe('aws.us-east-1');
    }
  });
});
