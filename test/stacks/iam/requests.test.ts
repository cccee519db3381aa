import { deployedAccount } from '../../support/iam/deployed';
import { judgeRow, type RequestRow } from '../../support/iam/judge-row';
import { requestTable } from './requests';

const ROWS = requestTable();

const DECISION = { allow: 'Allowed', deny: /Denied$/ } as const;

describe('every request of the request table, judged by the IAM engine', () => {
  it('names each row once', () => {
    const names = ROWS.map((row) => row.name);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it.each(ROWS.map((row) => [row.name, row] as [string, RequestRow]))('%s', async (_name, row) => {
    const judgement = await judgeRow(deployedAccount(), row);
    expect({ error: judgement.error, decision: judgement.decision }).toEqual({
      error: undefined,
      decision: row.expect === 'allow' ? DECISION.allow : expect.stringMatching(DECISION.deny),
    });
  });
});
