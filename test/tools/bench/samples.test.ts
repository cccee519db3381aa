import { interleave, median, summarize } from '../../../tools/bench/samples';

describe('summarize', () => {
  it('takes nearest-rank percentiles of the sorted samples', () => {
    const samples = Array.from({ length: 100 }, (_, index) => 100 - index);

    const summary = summarize(samples);

    expect(summary).toEqual({ n: 100, p50: 51, p95: 96, p99: 100, max: 100 });
  });

  it('takes the middle of an odd count as the median', () => {
    expect(median([5, 1, 3])).toBe(3);
  });

  it('refuses no samples', () => {
    expect(() => summarize([])).toThrow('no samples');
  });
});

describe('interleave', () => {
  it('runs the measures in turn, round after round, and keeps each one its own results', () => {
    const order: string[] = [];

    const [a, b] = interleave(3, [
      () => (order.push('a'), order.length),
      () => (order.push('b'), order.length),
    ]);

    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    expect(a).toEqual([1, 3, 5]);
    expect(b).toEqual([2, 4, 6]);
  });
});
