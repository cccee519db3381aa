// @tier e2e
import { LOG_RETENTION_DAYS } from '@monitored/cloudwatch-model';
import { runScript } from '../support/processes';

const NOT_A_COUNT = 'is not a whole number of 0 or more (digits only)';

describe('npm run cost', () => {
  it.each([
    ['an unknown flag', ['--nope'], "Unknown option '--nope'"],
    ['a flag without its value', ['--creates'], "Option '--creates <value>' argument missing"],
    ['a value that is no number', ['--reads', 'many'], `--reads "many" ${NOT_A_COUNT}`],
    ['a negative value', ['--counts=-5'], `--counts "-5" ${NOT_A_COUNT}`],
    [
      'a dashboard view count that is no number',
      ['--dashboard-views', '1e'],
      `--dashboard-views "1e" ${NOT_A_COUNT}`,
    ],
    ['a fraction', ['--creates', '1.5'], `--creates "1.5" ${NOT_A_COUNT}`],
    [
      'a hexadecimal count',
      ['--keyless-creates', '0x10'],
      `--keyless-creates "0x10" ${NOT_A_COUNT}`,
    ],
    ['an exponent', ['--page-views', '1e3'], `--page-views "1e3" ${NOT_A_COUNT}`],
    ['an empty count', ['--counts='], `--counts "" ${NOT_A_COUNT}`],
    [
      'a count too large to add up exactly',
      ['--reads', '99999999999999999999'],
      `--reads "99999999999999999999" is too large: at most ${Number.MAX_SAFE_INTEGER}`,
    ],
    ['a flag given twice', ['--creates', '1', '--creates', '2'], '--creates is given twice'],
    [
      'a retention of 0 days (never expire, to CloudWatch Logs)',
      ['--retention-days', '0'],
      `--retention-days "0" is not a retention CloudWatch Logs offers; use one of ${LOG_RETENTION_DAYS.join(', ')}`,
    ],
    [
      'a retention CloudWatch Logs does not offer',
      ['--retention-days', '10'],
      '--retention-days "10" is not a retention CloudWatch Logs offers',
    ],
    [
      'a value that looks like an option',
      ['--dashboard-views', '-1'],
      "Option '--dashboard-views' argument is ambiguous.",
    ],
    ['an argument it does not take', ['100'], "Unexpected argument '100'"],
  ])(
    'refuses %s with the problem and the usage line, exit 2, no stack trace',
    async (_case, args, problem) => {
      const { code, output } = await runScript('cost', args);

      expect(code).toBe(2);
      const [said, usage, ...rest] = output.trimEnd().split('\n');
      expect(said).toContain(problem);
      expect(usage).toMatch(/^Usage: npm run cost -- \[--creates N\]/);
      expect(rest).toEqual([]);
    },
  );

  it.each([
    ['the shortest retention', '1'],
    ['the 3-year retention', '1096'],
    ['the longest retention', '3653'],
  ])('takes %s CloudWatch Logs offers', async (_case, days) => {
    const { code, output } = await runScript('cost', ['--retention-days', days, '--json']);

    expect(code).toBe(0);
    expect((JSON.parse(output) as { traffic: { logRetentionDays: number } }).traffic).toMatchObject(
      { logRetentionDays: Number(days) },
    );
  });

  it('counts in the singular for one: 1 message, 1 count, 1 page view, kept 1 day', async () => {
    const { code, output } = await runScript('cost', [
      '--creates',
      '1',
      '--counts',
      '1',
      '--page-views',
      '1',
      '--retention-days',
      '1',
    ]);

    expect(code).toBe(0);
    expect(output).toContain('1 message posted with an Idempotency-Key');
    expect(output).toContain(', 1 count, 1 page view a month; logs kept 1 day.');
  });

  it('prints both stages: monitoring lines, subtotal, detection with its arithmetic, prices', async () => {
    const { code, output } = await runScript('cost', []);

    expect(code).toBe(0);
    for (const stage of ['dev (us-west-2)', 'prod (us-east-1)'])
      expect(output).toContain(`## ${stage}: monitoring`);
    expect(output).toContain('| canary msgs-prod-api: runs |');
    expect(output).toContain('| composite alarms |');
    expect(output).toMatch(/\| \*\*monitoring\*\* \| \*\*\d+\.\d\d\*\* \|/);
    expect(output).toMatch(/Time to detect a full outage of prod, worst case: \*\*\d+\.\d min\*\*/);
    expect(output).toContain("until the alarm's next evaluation");
    expect(output).toMatch(/\| canaryRun \| 0\.0012 \| .+ \| .+ \| \d{4}/);
    expect(output).toContain('| **total** |');
  });

  it('gives the same figures as JSON, in cents: per stage its items, monitoring subtotal and detection minutes', async () => {
    const markdown = await runScript('cost', ['--creates', '0']);
    const { code, output } = await runScript('cost', ['--json', '--creates', '0']);

    expect(code).toBe(0);
    const json = JSON.parse(output) as {
      stages: Record<
        string,
        {
          items: { item: string; monthlyUsd: number }[];
          monitoringUsd: number;
          detectionMinutes: number;
        }
      >;
      traffic: {
        input: { creates: number };
        items: { item: string; monthlyUsd: number }[];
        totalUsd: number;
      };
    };
    const inCents = (usd: number) => Number(usd.toFixed(2)) === usd;
    expect(Object.keys(json.stages)).toEqual(['dev', 'prod']);
    for (const [name, stage] of Object.entries(json.stages)) {
      const sum = stage.items.reduce((total, item) => total + item.monthlyUsd, 0);
      // Each item is rounded to the cent on its own: the sum may be off by half a cent an item.
      expect(Math.abs(stage.monitoringUsd - sum)).toBeLessThanOrEqual(stage.items.length * 0.005);
      expect(stage.items.filter((item) => !inCents(item.monthlyUsd))).toEqual([]);
      expect(inCents(stage.monitoringUsd)).toBe(true);
      const section = markdown.output.split(`## ${name} (`)[1];
      expect(section).toContain(`| **monitoring** | **${stage.monitoringUsd.toFixed(2)}** |`);
      expect(stage.detectionMinutes).toBeGreaterThan(0);
    }
    expect(json.traffic.input.creates).toBe(0);
    expect(json.traffic.items.filter((item) => !inCents(item.monthlyUsd))).toEqual([]);
    expect(markdown.output).toContain(`| **total** | **${json.traffic.totalUsd.toFixed(2)}** |`);
  });
});
