import { cloudWatchTimestamp, javaDouble, longDate, reasonDate } from '../src/alarm-text';

describe('javaDouble', () => {
  it.each([
    [0, '0.0'],
    [50, '50.0'],
    [-3, '-3.0'],
    [0.001, '0.001'],
    [99.50160229693434, '99.50160229693434'],
    [1234567.5, '1234567.5'],
    [1e7, '1.0E7'],
    [2.147483648e10, '2.147483648E10'],
    [0.0001, '1.0E-4'],
    [-1.5e-5, '-1.5E-5'],
  ])('writes %d as Java does: %s', (value, expected) => {
    expect(javaDouble(value)).toBe(expected);
  });
});

describe('dates', () => {
  it('writes datapoint dates as dd/MM/yy HH:mm:ss in UTC', () => {
    expect(reasonDate(Date.UTC(2019, 9, 2, 16, 59, 0))).toBe('02/10/19 16:59:00');
  });

  it('writes event timestamps with milliseconds and +0000', () => {
    expect(cloudWatchTimestamp(Date.UTC(2019, 9, 2, 17, 4, 40, 985))).toBe(
      '2019-10-02T17:04:40.985+0000',
    );
  });

  it("writes composite reasons' dates as AWS's samples do", () => {
    expect(longDate(Date.UTC(2022, 6, 22, 15, 57, 45))).toBe('Friday 22 July, 2022 15:57:45 UTC');
    expect(longDate(Date.UTC(2023, 7, 4, 12, 54, 46))).toBe('Friday 04 August, 2023 12:54:46 UTC');
  });
});
