import {
  DEPLOY_HOLD_SECONDS,
  heldMinutes,
  holdDatapoints,
  holdExpiresAt,
  holdLookback,
  releaseDatapoints,
} from '../src/deploy-hold';

/** Saturday 28 November 2026, 10:03:27.5 UTC. */
const NOW = Date.UTC(2026, 10, 28, 10, 3, 27, 500);
const AT = (hours: number, minutes: number) => Date.UTC(2026, 10, 28, hours, minutes);

describe('a hold of the deploy alarm', () => {
  it('sends +1 stamped at the whole minute, which a release can stamp again', () => {
    expect(holdDatapoints([], NOW)).toEqual([{ timestamp: AT(10, 3), value: 1 }]);
  });

  it("reads back every minute the alarm's evaluation range can reach, and the current one", () => {
    expect(holdLookback(NOW)).toEqual({
      start: AT(10, 3) - 2 * DEPLOY_HOLD_SECONDS * 1000,
      end: AT(10, 4),
    });
    expect(DEPLOY_HOLD_SECONDS).toBe(7200);
  });

  it("leaves the alarm's evaluation periods 2 hours after the minute it was taken", () => {
    expect(holdExpiresAt(NOW)).toBe(AT(12, 3));
  });

  it('repairs minutes an earlier release over-released, which would cancel it', () => {
    expect(
      holdDatapoints(
        [
          { timestamp: AT(9, 0), sum: -1 },
          { timestamp: AT(9, 30), sum: 0 },
        ],
        NOW,
      ),
    ).toEqual([
      { timestamp: AT(9, 0), value: 1 },
      { timestamp: AT(10, 3), value: 1 },
    ]);
  });
});

describe('a release of the deploy alarm', () => {
  /** The end of the deploy: a 0 at the minute of the release, which changes no Sum. */
  const END = { timestamp: AT(10, 3), value: 0 };

  it('cancels each held minute at its own timestamp, so that both leave the window together', () => {
    const sums = [
      { timestamp: AT(9, 41), sum: 1 },
      { timestamp: AT(8, 15), sum: 1 },
    ];
    expect(releaseDatapoints(sums, NOW)).toEqual([
      { timestamp: AT(8, 15), value: -1 },
      { timestamp: AT(9, 41), value: -1 },
      END,
    ]);
    expect(heldMinutes(sums)).toEqual([AT(8, 15), AT(9, 41)]);
  });

  it('marks the end of the deploy at its own minute, also when every hold was released or none was read', () => {
    expect(releaseDatapoints([{ timestamp: AT(9, 41), sum: 0 }], NOW)).toEqual([END]);
    expect(releaseDatapoints([], NOW)).toEqual([END]);
  });

  it('adds up what a minute holds, and sets minutes below 0 back to 0 too', () => {
    expect(
      releaseDatapoints(
        [
          { timestamp: AT(9, 41), sum: 1 },
          { timestamp: AT(9, 41), sum: 1 },
          { timestamp: AT(9, 50), sum: -1 },
        ],
        NOW,
      ),
    ).toEqual([{ timestamp: AT(9, 41), value: -2 }, { timestamp: AT(9, 50), value: 1 }, END]);
  });

  it('refuses a Sum that is not at a whole minute, which it could not pair', () => {
    expect(() => releaseDatapoints([{ timestamp: AT(9, 41) + 1_000, sum: 1 }], NOW)).toThrow(
      /at a whole minute/,
    );
    expect(() => releaseDatapoints([{ timestamp: AT(9, 41), sum: NaN }], NOW)).toThrow(
      /finite Sum/,
    );
  });
});
