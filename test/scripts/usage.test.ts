/**
 * How every script reads its command line: an option given twice is refused (parseArgs alone keeps
 * the last one without a word), and numbers are decimal, in range, with a message that names
 * which of the two is wrong.
 */
import { MAX_TIME_SCALE, TIME_SCALE_OPTION } from '@monitored/cloudwatch-local';
import { parseCostArgs } from '../../scripts/cost';
import {
  decimalOption,
  parseCommandLine,
  UsageError,
  wholeNumberOption,
} from '../../scripts/usage';

const refusal = (read: () => unknown): string => {
  try {
    read();
  } catch (error: unknown) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('it was not refused');
};

describe('parseCommandLine', () => {
  const options = {
    stage: { type: 'string' },
    json: { type: 'boolean' },
    tag: { type: 'string', multiple: true },
  } as const;

  it.each([
    [
      ['--stage', 'dev', '--stage', 'prod'],
      '--stage is given twice ("dev", then "prod"): give it once',
    ],
    [['--stage=dev', '--stage=dev'], '--stage is given twice ("dev", then "dev"): give it once'],
  ])('refuses %j: an option with a value given twice', (args, message) => {
    expect(refusal(() => parseCommandLine({ args, options }))).toBe(message);
  });

  it('takes a flag given twice: it says the same thing again', () => {
    expect(parseCommandLine({ args: ['--json', '--json'], options }).values.json).toBe(true);
  });

  it('takes an option that may be repeated as often as it is given', () => {
    const { values } = parseCommandLine({ args: ['--tag', 'a', '--tag', 'b'], options });

    expect(values.tag).toEqual(['a', 'b']);
  });

  it('refuses a repeated flag of npm run cost rather than keeping the last one', () => {
    expect(refusal(() => parseCostArgs(['--creates', '1', '--creates', '2']))).toBe(
      '--creates is given twice ("1", then "2"): give it once',
    );
  });
});

describe('decimalOption', () => {
  const scale = (raw: string) => decimalOption('--time-scale', raw, TIME_SCALE_OPTION);

  it.each([
    ['60', 60],
    ['0.5', 0.5],
    ['.25', 0.25],
    ['0.0001', 0.0001],
    [String(MAX_TIME_SCALE), MAX_TIME_SCALE],
  ])('takes %p', (raw, value) => {
    expect(scale(raw)).toBe(value);
  });

  it.each(['0x10', ' 60', '60 ', '1e2', '+5', '-1', '', 'fast', '1.2.3', 'Infinity', '٦٠'])(
    'refuses %p: not written as a decimal number',
    (raw) => {
      expect(refusal(() => scale(raw))).toBe(
        `--time-scale "${raw}" is not a decimal number (digits with at most one point, such as 60 or 0.5)`,
      );
    },
  );

  it.each(['0', '0.0', String(MAX_TIME_SCALE + 1), '99999999999999999999999'])(
    'refuses %p: outside the range',
    (raw) => {
      expect(refusal(() => scale(raw))).toBe(
        `--time-scale "${raw}" is out of range: simulated seconds per real second, above 0 and at most ${MAX_TIME_SCALE}`,
      );
    },
  );
});

describe('wholeNumberOption', () => {
  const count = (raw: string) => wholeNumberOption('--creates', raw);

  it('takes digits up to the largest integer a double holds exactly', () => {
    expect(count('0')).toBe(0);
    expect(count(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each(['1.5', '0x10', '1e3', '-5', '', ' 7'])('refuses %p: not a whole number', (raw) => {
    expect(refusal(() => count(raw))).toBe(
      `--creates "${raw}" is not a whole number of 0 or more (digits only)`,
    );
  });

  it('refuses a count too large to add up exactly, saying so rather than that it is no number', () => {
    expect(refusal(() => count('99999999999999999999'))).toBe(
      `--creates "99999999999999999999" is too large: at most ${Number.MAX_SAFE_INTEGER}`,
    );
  });
});
