/**
 * docs/alarms-and-dashboard.md's table of log groups restates what each stage synthesizes: the
 * function's and the access log's groups by name, one group per canary named from its engine
 * (`cwsyn-<canary>-<id>`, known once AWS creates the canary's function), each kept as long as the
 * stage's config says.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STAGES } from '../../stacks/config';
import { synthStage, TEST_CONFIGS } from '../support/synth';

jest.setTimeout(120_000);

const PAGE = fs.readFileSync(
  path.resolve(__dirname, '..', '..', 'docs', 'alarms-and-dashboard.md'),
  'utf8',
);
const HEADER = '| log group | what |';

/** The first column of the page's log-group table, code marks dropped. */
function listedGroups(): string[] {
  const start = PAGE.indexOf(`\n${HEADER}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const groups: string[] = [];
  for (const line of PAGE.slice(start + HEADER.length + 2)
    .split('\n')
    .slice(1)) {
    if (!line.startsWith('|')) break;
    groups.push(line.split('|')[1].trim().replace(/`/g, ''));
  }
  return groups;
}

describe.each(STAGES)("docs/alarms-and-dashboard.md's log groups, for %s", (stage) => {
  const config = TEST_CONFIGS[stage];
  const groups = () => synthStage(stage).all('aws_cloudwatch_log_group');
  const general = (name: string) => name.replaceAll(config.namePrefix, 'msgs-<stage>');

  it('are the groups the stage synthesizes', () => {
    const canaries = synthStage(stage).all('aws_synthetics_canary').length;
    const fromEngine = groups()
      .map((group) => String(group.name))
      .filter((name) => /^\/aws\/lambda\/\$\{.*aws_synthetics_canary\.\w+\.engine_arn/.test(name));
    expect(fromEngine).toHaveLength(canaries);
    const named = groups()
      .map((group) => String(group.name))
      .filter((name) => !fromEngine.includes(name))
      .map(general);
    expect(listedGroups().sort()).toEqual(
      [...named, '/aws/lambda/cwsyn-msgs-<stage>-<canary>-<id>'].sort(),
    );
  });

  it("keeps each as long as the page says the stage's config does", () => {
    for (const group of groups()) expect(group.retention_in_days).toBe(config.logRetentionDays);
    expect(PAGE.replace(/\s+/g, ' ')).toContain(
      `(${STAGES.map((s, i) => `${TEST_CONFIGS[s].logRetentionDays}${i === 0 ? ' days' : ''} in ${s}`).join(', ')};`,
    );
  });
});
