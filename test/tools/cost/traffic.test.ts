import { PRICES } from '../../../tools/cost/prices';
import {
  formatCostTable,
  monthlyCost,
  NO_TRAFFIC,
  totalUsd,
  type Traffic,
} from '../../../tools/cost/traffic';

const usd = (item: string, lines: ReturnType<typeof monthlyCost>) =>
  lines.find((line) => line.item.startsWith(item))?.monthlyUsd;
const traffic = (some: Partial<Traffic>): Traffic => ({ ...NO_TRAFFIC, ...some });

describe('the traffic model', () => {
  it('costs nothing without traffic', () => {
    const lines = monthlyCost(NO_TRAFFIC, 1);

    expect(totalUsd(lines)).toBe(0);
  });

  it('bills a create with an Idempotency-Key as a three-item transaction: 6 write units', () => {
    const lines = monthlyCost(traffic({ creates: 1_000_000 }), 1);

    expect(usd('DynamoDB on-demand', lines)).toBeCloseTo(6 * PRICES.dynamoWritePerMillion.usd, 6);
    expect(usd('API Gateway', lines)).toBeCloseTo(PRICES.apiPerMillion.usd, 6);
  });

  it('bills a create without a key as a two-item transaction: 4 write units', () => {
    const lines = monthlyCost(traffic({ keylessCreates: 1_000_000 }), 1);

    expect(usd('DynamoDB on-demand', lines)).toBeCloseTo(4 * PRICES.dynamoWritePerMillion.usd, 6);
  });

  it('says why a create costs what it costs', () => {
    const basis = monthlyCost(NO_TRAFFIC, 1).find((line) => line.item.startsWith('DynamoDB on'));

    expect(basis?.basis).toMatch(
      /6 write units a create with an Idempotency-Key.*website always sends a key/,
    );
  });

  it('bills reads and counts as one read unit each', () => {
    const lines = monthlyCost(traffic({ reads: 1_000_000, counts: 1_000_000 }), 1);

    expect(usd('DynamoDB on-demand', lines)).toBeCloseTo(2 * PRICES.dynamoReadPerMillion.usd, 6);
  });

  it('bills a request API Gateway answers alone (a preflight) without the function', () => {
    const lines = monthlyCost(NO_TRAFFIC, 1, 1_000_000);

    expect(usd('API Gateway', lines)).toBeCloseTo(PRICES.apiPerMillion.usd, 6);
    expect(usd('Lambda', lines)).toBe(0);
  });

  it("bills HTTP API requests by AWS's tiers: the first 300 million a month at one price, the rest at the lower", () => {
    const within = monthlyCost(NO_TRAFFIC, 1, 300_000_000);
    const beyond = monthlyCost(NO_TRAFFIC, 1, 400_000_000);

    expect(usd('API Gateway', within)).toBeCloseTo(300 * PRICES.apiPerMillion.usd, 6);
    expect(usd('API Gateway', beyond)).toBeCloseTo(
      300 * PRICES.apiPerMillion.usd + 100 * PRICES.apiPerMillionBeyond300Million.usd,
      6,
    );
    expect(PRICES.apiPerMillionBeyond300Million.usd).toBeLessThan(PRICES.apiPerMillion.usd);
  });

  it('prints a table with a total', () => {
    const table = formatCostTable(monthlyCost(traffic({ creates: 1_000_000 }), 1));

    expect(table).toMatch(/\| \*\*total\*\* \| \*\*\d+\.\d\d\*\* \|/);
  });
});
