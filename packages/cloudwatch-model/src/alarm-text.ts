/**
 * How CloudWatch writes numbers and dates in StateReason and StateReasonData, from the samples in
 * "Alarm events and EventBridge" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html):
 * values as Java doubles (`0.0`, `99.50160229693434`, `2.147483648E10`), datapoint dates as
 * `02/10/19 16:59:00`, event timestamps as `2019-10-02T17:04:40.985+0000`, composite reasons as
 * `Friday 22 July, 2022 15:57:45 UTC`. All in UTC.
 */

/**
 * Java's Double.toString: plain notation with at least one decimal between 10^-3 and 10^7,
 * otherwise `d.dddE±n`. The digits are JavaScript's shortest round-trip ones, which is what
 * Java 19+ prints too.
 */
export function javaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const plain = String(value);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e');
  const withDecimal = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${withDecimal}E${exponent.replace('+', '')}`;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `dd/MM/yy HH:mm:ss`, the date of a datapoint in a "Threshold Crossed" reason. */
export function reasonDate(timestamp: number): string {
  const d = new Date(timestamp);
  return (
    `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  );
}

/** `yyyy-MM-ddTHH:mm:ss.SSS+0000`, as in StateReasonData and alarm events. */
export function cloudWatchTimestamp(timestamp: number): string {
  return new Date(timestamp).toISOString().replace('Z', '+0000');
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `Friday 22 July, 2022 15:57:45 UTC`, as in a composite alarm's reason. */
export function longDate(timestamp: number): string {
  const d = new Date(timestamp);
  return (
    `${WEEKDAYS[d.getUTCDay()]} ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]}, ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC`
  );
}
