/**
 * docs/deploy-alarm.md's table of what a hold keeps quiet, and for how long, restates both stages'
 * synthesized alarms: the "site down" composite's extension period after the deploy alarm clears,
 * and the range `deployed-recently` reads. A schedule or a grace changed in code fails here until
 * the page says so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STAGES, type Stage } from '../../stacks/config';
import { synthStage } from '../support/synth';

jest.setTimeout(120_000);

const PAGE = fs.readFileSync(
  path.resolve(__dirname, '..', '..', 'docs', 'deploy-alarm.md'),
  'utf8',
);
const HEADER = `| what | quiet while held, and after it for | ${STAGES.join(' | ')} |`;

/** The table's rows by the start of their first cell, the stages' cells in STAGES' order. */
function rows(): Map<string, string[]> {
  const start = PAGE.indexOf(`\n${HEADER}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const found = new Map<string, string[]>();
  for (const line of PAGE.slice(start + HEADER.length + 2)
    .split('\n')
    .slice(1)) {
    if (!line.startsWith('|')) break;
    const [what, , ...stages] = line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
    found.set(what, stages);
  }
  return found;
}

const minutes = (seconds: number) =>
  seconds >= 3600
    ? `${Math.floor(seconds / 3600)} h ${(seconds % 3600) / 60} min`
    : `${seconds / 60} min`;

function row(start: string): string[] {
  const match = [...rows()].find(([what]) => what.startsWith(start));
  expect({ start, found: match !== undefined }).toEqual({ start, found: true });
  return (match as [string, string[]])[1];
}

describe("docs/deploy-alarm.md's table of what a hold keeps quiet", () => {
  it("gives the composite's extension period after a release, per stage", () => {
    const extension = (stage: Stage) => {
      const [siteDown] = synthStage(stage).all('aws_cloudwatch_composite_alarm');
      return minutes(
        (siteDown.actions_suppressor as { extension_period: number }).extension_period,
      );
    };
    expect(row('`site-down`, all of it')).toEqual(STAGES.map(extension));
  });

  it('gives the range `deployed-recently` reads, per stage', () => {
    const range = (stage: Stage) => {
      const [recently] = synthStage(stage)
        .all('aws_cloudwatch_metric_alarm')
        .filter((alarm) => String(alarm.alarm_name).endsWith('-deployed-recently'));
      return `${(Number(recently.evaluation_periods) * Number(recently.period)) / 60} min`;
    };
    expect(row(`a canary's "not running"`)).toEqual(STAGES.map(range));
  });
});
