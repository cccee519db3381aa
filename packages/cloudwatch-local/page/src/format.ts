/** How the page writes times (UTC, simulated) and numbers. */

const pad = (value: number) => String(value).padStart(2, '0');

/** `2026-11-28 10:05:00 UTC` */
export function utcTime(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`;
}

/** `10:05` */
export function utcClock(ms: number): string {
  const date = new Date(ms);
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

/** `15 min`, `1 h`, `3 h`, `2 d` */
export function duration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

const compact = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

export function number(value: number): string {
  return compact.format(value);
}

const abbreviated = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 2 });

/** An axis tick as CloudWatch writes it: `120K`, `1.5M`, `0.05`. */
export function tickNumber(value: number): string {
  return abbreviated.format(value);
}
