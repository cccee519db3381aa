import { formatCostTable, monthlyCost, PRICES } from '../../scripts/cost';
import { runScript } from '../support/processes';

const usd = (item: string, lines: ReturnType<typeof monthlyCost>) =>
  lines.find((line) => line.item.startsWith(item))?.monthlyUsd;

describe('monthly cost model', () => {
  it('costs nothing without traffic', () => {
    const lines = monthlyCost({ creates: 0, reads: 0, counts: 0, pageViews: 0 }, 1);
    expect(lines.reduce((sum, line) => sum + line.monthlyUsd, 0)).toBe(0);
  });

  it('bills a create as a two-item transaction: 4 write units', () => {
    const lines = monthlyCost({ creates: 1_000_000, reads: 0, counts: 0, pageViews: 0 }, 1);
    expect(usd('DynamoDB on-demand', lines)).toBeCloseTo(4 * PRICES.dynamoWritePerMillion, 6);
    expect(usd('API Gateway', lines)).toBeCloseTo(PRICES.apiPerMillion, 6);
  });

  it('bills reads and counts as one read unit each', () => {
    const lines = monthlyCost({ creates: 0, reads: 1_000_000, counts: 1_000_000, pageViews: 0 }, 1);
    expect(usd('DynamoDB on-demand', lines)).toBeCloseTo(2 * PRICES.dynamoReadPerMillion, 6);
  });

  it('prints a table with a total', () => {
    const table = formatCostTable(
      monthlyCost({ creates: 1_000_000, reads: 0, counts: 0, pageViews: 0 }, 1),
    );
    expect(table).toMatch(/\| \*\*total\*\* \| \*\*\d+\.\d\d\*\* \|/);
  });
});

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

  it('prints the table for the traffic it is given', async () => {
    const { code, output } = await runScript('cost', ['--creates', '1000000', '--page-views', '0']);

    expect(code).toBe(0);
    expect(output).toContain('| **total** |');
  });
});
