import { formatCostTable, monthlyCost, PRICES } from '../../scripts/cost';

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
