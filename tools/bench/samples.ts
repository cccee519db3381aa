/** Order statistics of timing samples, nearest rank (no interpolation between samples). */
export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    n: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted[sorted.length - 1],
  };
}

export const median = (samples: readonly number[]): number => summarize(samples).p50;

/** Runs `measures` in turn, `rounds` times, so that a noisy moment of the machine hits each alike. */
export function interleave<T>(rounds: number, measures: readonly (() => T)[]): T[][] {
  const results: T[][] = measures.map(() => []);
  for (let round = 0; round < rounds; round++)
    measures.forEach((measure, index) => results[index].push(measure()));
  return results;
}
