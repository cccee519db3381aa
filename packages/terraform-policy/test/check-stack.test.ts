import * as path from 'node:path';
import { readTerraformJson } from '@monitored/terraform-json';
import {
  ALL_RULES,
  checkStack,
  exemptionMetadata,
  formatFinding,
  logGroupRetention,
  type Finding,
} from '@monitored/terraform-policy';

const TODAY = new Date('2026-11-28T00:00:00Z');
// Written by hand, as a plain Terraform project keeps its configuration: no cdktf involved.
const PLAIN = readTerraformJson(path.join(__dirname, 'fixtures', 'plain.tf.json'));

describe('checkStack over a plain Terraform module', () => {
  const findings = checkStack(PLAIN, { today: TODAY });

  it('reports a resource that breaks a rule, by rule and address', () => {
    expect(findings).toContainEqual({
      level: 'error',
      rule: 'log-group-retention',
      address: 'aws_cloudwatch_log_group.app',
      message: 'no retention_in_days: logs would be kept (and billed) forever',
    } satisfies Finding);
  });

  it('reports a resource the JSON exempts, with the written reason, and fails nothing for it', () => {
    const audit = findings.filter(({ address }) => address === 'aws_cloudwatch_log_group.audit');
    expect(audit).toEqual([
      {
        level: 'exempt',
        rule: 'log-group-retention',
        address: 'aws_cloudwatch_log_group.audit',
        message: 'Audit logs are kept indefinitely by policy XYZ-12',
      },
    ]);
    expect(formatFinding(audit[0])).toBe(
      '[log-group-retention] aws_cloudwatch_log_group.audit exempt: Audit logs are kept indefinitely by policy XYZ-12',
    );
  });

  it('refuses an exemption without a reason a reviewer can judge, and keeps the finding', () => {
    const orders = findings.filter(({ address }) => address === 'aws_dynamodb_table.orders');
    expect(orders).toEqual([
      {
        level: 'error',
        rule: 'dynamodb-pitr',
        address: 'aws_dynamodb_table.orders',
        message:
          'Exempting aws_dynamodb_table.orders from dynamodb-pitr needs a reason a reviewer can judge',
      },
      expect.objectContaining({ level: 'error', rule: 'dynamodb-pitr' }),
    ]);
  });

  it('says nothing of a resource that complies', () => {
    expect(findings.filter(({ address }) => address === 'aws_cloudwatch_log_group.kept')).toEqual(
      [],
    );
  });

  it('runs only the rules it is given', () => {
    const only = checkStack(PLAIN, { today: TODAY, rules: [logGroupRetention] });
    // The exemption without a reason is refused whichever rules run.
    expect(only.map(({ rule, address }) => `${rule} ${address}`)).toEqual([
      'log-group-retention aws_cloudwatch_log_group.audit',
      'log-group-retention aws_cloudwatch_log_group.app',
      'dynamodb-pitr aws_dynamodb_table.orders',
    ]);
    expect(checkStack(PLAIN, { today: TODAY, rules: ALL_RULES })).toEqual(findings);
  });

  it('reads an exemption written with exemptionMetadata as one written by hand', () => {
    const json = {
      resource: {
        aws_cloudwatch_log_group: {
          audit: {
            '//': exemptionMetadata([
              {
                rule: 'log-group-retention',
                reason: 'Audit logs are kept indefinitely by policy XYZ-12',
              },
            ]),
            name: '/shop/audit',
          },
        },
      },
    };
    expect(checkStack(json, { today: TODAY }).map(({ level }) => level)).toEqual(['exempt']);
  });
});

describe('a runtime past its deprecation date', () => {
  const json = { resource: { aws_lambda_function: { f: { runtime: 'nodejs18.x' } } } };

  it("names the checker's own option as the way past the refusal when the app names none", () => {
    const [finding] = checkStack(json, { today: TODAY });
    expect(finding.message).toMatch(
      /set acceptDeprecatedRuntimes=nodejs18\.x, e\.g\. `checkStack\(json, \{ acceptDeprecatedRuntimes: \['nodejs18\.x'\] \}\)`$/,
    );
  });

  it("names the app's way when it gives one, and warns instead once the runtime is accepted", () => {
    const runtimeOverride = {
      name: 'ALLOW_OLD',
      example: (runtime: string) => `ALLOW_OLD=${runtime} make`,
    };
    expect(checkStack(json, { today: TODAY, runtimeOverride })[0].message).toMatch(
      /set ALLOW_OLD=nodejs18\.x, e\.g\. `ALLOW_OLD=nodejs18\.x make`$/,
    );
    const accepted = checkStack(json, {
      today: TODAY,
      runtimeOverride,
      acceptDeprecatedRuntimes: ['nodejs18.x'],
    });
    expect(accepted).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(
          /^runtime nodejs18\.x was deprecated on 2025-09-01, accepted by ALLOW_OLD: /,
        ),
      }),
    ]);
  });
});
