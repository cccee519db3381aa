import { ConfigError, parseDay, parseEmailList } from '../../stacks/config';

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

describe('a setting that cannot be used', () => {
  it.each([
    [
      'ALERT_EMAILS_PROD',
      () => parseEmailList('ops@example.com, not-an-email', 'ALERT_EMAILS_PROD'),
    ],
    ['ALERT_EMAILS_DEV', () => parseEmailList('ops@example.com\n\u001b[2Jx', 'ALERT_EMAILS_DEV')],
    ['SYNTH_DATE', () => parseDay('2027-02-30\nmore', 'SYNTH_DATE')],
  ])('is a ConfigError of one line naming %s, its value quoted', (variable, parse) => {
    let thrown: unknown;
    try {
      parse();
    } catch (error: unknown) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(ConfigError);
    const message = (thrown as ConfigError).message;
    expect(message.startsWith(`${variable}: "`)).toBe(true);
    // eslint-disable-next-line no-control-regex -- no line break or control character may reach the terminal
    expect(message).not.toMatch(/[\u0000-\u001f]/);
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
