import { countsOf, tierRows, type TierRun } from '../../../tools/bench/test-tiers';

const run = (overrides: Partial<TierRun>): TierRun => ({
  tier: 'fast',
  files: 86,
  passed: 2_000,
  failed: 0,
  wallSeconds: 50,
  cpuSeconds: 90,
  exitCode: 0,
  ...overrides,
});

describe('the test tiers benchmark', () => {
  it("counts a file that failed before its tests ran as a failure, beside Jest's failed tests", () => {
    expect(
      countsOf({
        numTotalTestSuites: 54,
        numPassedTests: 700,
        numFailedTests: 2,
        numRuntimeErrorTestSuites: 1,
      }),
    ).toEqual({ files: 54, passed: 700, failed: 3 });
  });

  it('meets the fast tier goal only within 60 s and with every test passing', () => {
    const e2e = run({ tier: 'e2e', wallSeconds: 400 });

    expect(tierRows(run({ wallSeconds: 59 }), e2e, 2)[0].met).toBe(true);
    expect(tierRows(run({ wallSeconds: 61 }), e2e, 2)[0].met).toBe(false);
    expect(tierRows(run({ wallSeconds: 30, failed: 1 }), e2e, 2)[0].met).toBe(false);
  });

  it('shows wall time, CPU seconds and what they would take on idle cores, with the counts', () => {
    const [fast, e2e] = tierRows(
      run({}),
      run({ tier: 'e2e', files: 54, passed: 800, failed: 1, wallSeconds: 400, cpuSeconds: 500 }),
      2,
    );

    expect(fast.figure).toBe('50 s wall, 90 CPU s (45 s on 2 idle cores at best)');
    expect(fast.reference).toBe('86 files, 2000 passed, 0 failed');
    expect(e2e.figure).toBe('400 s wall, 500 CPU s (250 s on 2 idle cores at best)');
    expect(e2e.met).toBe(false);
  });
});
