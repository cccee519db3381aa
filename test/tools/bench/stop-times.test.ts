import { stopTimeRows, type StopTime } from '../../../tools/bench/stop-times';

const stop = (fields: Partial<StopTime>): StopTime => ({
  moment: 'right after ready',
  script: 'start',
  sent: 'SIGINT to npm',
  seconds: 1.2,
  processes: { npm: 1, node: 2, JVM: 1 },
  exitCode: 0,
  left: [],
  ...fields,
});

describe('stopTimeRows', () => {
  it('puts SIGINT and SIGTERM of a moment in one row, met when both are in time and leave nothing', () => {
    const [row] = stopTimeRows([stop({}), stop({ sent: 'SIGTERM to npm', seconds: 0.8 })]);

    expect(row).toMatchObject({
      figure: '1.20 s / 0.80 s',
      target: '≤ 3 s, nothing left',
      met: true,
    });
    expect(row.measure).toContain("SIGINT / SIGTERM to npm's PID");
    expect(row.reference).toBe('1 npm, 2 node, 1 JVM; exit 0 / 0; nothing left in TMPDIR or /tmp');
  });

  it.each<[string, Partial<StopTime>]>([
    ['a stop over the goal', { seconds: 3.5 }],
    ['a stop not over at all', { seconds: undefined }],
    ['a file left behind', { left: ['TMPDIR/chromium-x'] }],
    ['npm killed by the signal', { exitCode: null }],
  ])('is not met for %s, and says what was left', (_case, fields) => {
    const [row] = stopTimeRows([stop({}), stop({ sent: 'SIGTERM to npm', ...fields })]);

    expect(row.met).toBe(false);
    if (fields.left !== undefined) expect(row.reference).toContain('**left: TMPDIR/chromium-x**');
  });

  it('gives the Ctrl-C case a row of its own', () => {
    const rows = stopTimeRows([stop({}), stop({ sent: 'Ctrl-C to the group', seconds: 0.5 })]);

    expect(rows).toHaveLength(2);
    expect(rows[1].measure).toContain('Ctrl-C (SIGINT to the process group');
    expect(rows[1].figure).toBe('0.50 s');
  });
});
