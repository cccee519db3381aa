import { runScript } from '../support/processes';

describe('npm run cost', () => {
  it.each([
    ['an unknown flag', ['--nope'], "Unknown option '--nope'"],
    ['a flag without its value', ['--creates'], "Option '--creates <value>' argument missing"],
    [
      'a value that is no number',
      ['--reads', 'many'],
      '--reads "many" is not a non-negative number',
    ],
    ['a negative value', ['--counts=-5'], '--counts "-5" is not a non-negative number'],
    [
      'a dashboard view count that is no number',
      ['--dashboard-views', '1e'],
      '--dashboard-views "1e" is not a non-negative number',
    ],
    ['an argument it does not take', ['100'], "Unexpected argument '100'"],
  ])(
    'refuses %s with the problem and the usage line, exit 2, no stack trace',
    async (_case, args, problem) => {
      const { code, output } = await runScript('cost', args);

      expect(code).toBe(2);
      expect(output).toContain(problem);
      expect(output).toContain('Usage: npm run cost -- [--creates N]');
      expect(output).not.toMatch(/^\s+at /m);
    },
  );

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

  it('gives the same figures as JSON: per stage its items, monitoring subtotal and detection minutes', async () => {
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
      traffic: { input: { creates: number } };
    };
    expect(Object.keys(json.stages)).toEqual(['dev', 'prod']);
    for (const stage of Object.values(json.stages)) {
      const sum = stage.items.reduce((total, item) => total + item.monthlyUsd, 0);
      expect(stage.monitoringUsd).toBeCloseTo(sum, 3);
      expect(stage.detectionMinutes).toBeGreaterThan(0);
    }
    expect(json.traffic.input.creates).toBe(0);
  });
});
