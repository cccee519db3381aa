import { parseDay, parseEmailList } from '../../stacks/config';

describe('parseEmailList', () => {
  it('reads a comma-separated list and ignores blanks', () => {
    expect(parseEmailList(' a@example.com, ,b@example.org ', 'ALERT_EMAILS')).toEqual([
      'a@example.com',
      'b@example.org',
    ]);
    expect(parseEmailList(undefined, 'ALERT_EMAILS')).toEqual([]);
  });

  it('names the variable and the bad entry', () => {
    expect(() => parseEmailList('a@example.com;b@example.com', 'ALERT_EMAILS_DEV')).toThrow(
      'ALERT_EMAILS_DEV: "a@example.com;b@example.com" is not an email address',
    );
  });
});

describe('parseDay', () => {
  it('reads YYYY-MM-DD as midnight UTC, and nothing as undefined', () => {
    expect(parseDay('2027-01-30', 'SYNTH_DATE')).toEqual(new Date(Date.UTC(2027, 0, 30)));
    expect(parseDay(' 2027-01-30 ', 'SYNTH_DATE')).toEqual(new Date(Date.UTC(2027, 0, 30)));
    expect(parseDay(undefined, 'SYNTH_DATE')).toBeUndefined();
    expect(parseDay('', 'SYNTH_DATE')).toBeUndefined();
  });

  it('names the variable and the value when it is not a day', () => {
    for (const bad of ['2027-02-30', '2027-1-30', '30.01.2027', '2027-01-30T12:00:00Z', 'soon']) {
      expect(() => parseDay(bad, 'SYNTH_DATE')).toThrow(
        `SYNTH_DATE: "${bad}" is not a day (expected YYYY-MM-DD)`,
      );
    }
  });
});
