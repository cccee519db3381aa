/**
 * docs/alarms-and-dashboard.md's table of the dashboard's layout is rendered from the dashboard
 * body each stage synthesizes: a widget added, moved or renamed changes the page, and this test
 * fails until the page says so. `UPDATE_DOCS=1 npx jest test/docs/dashboard-layout.test.ts`
 * writes it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STAGES, type Stage } from '../../stacks/config';
import { synthStage, TEST_CONFIGS } from '../support/synth';

jest.setTimeout(120_000);

const PAGE = path.resolve(__dirname, '../../docs/alarms-and-dashboard.md');
const BEGIN =
  '<!-- dashboard-layout: begin (rendered from the synthesized dashboards by test/docs/dashboard-layout.test.ts) -->';
const END = '<!-- dashboard-layout: end -->';

interface Widget {
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: { readonly title?: string; readonly markdown?: string };
}

/** A stage's dashboard as a Markdown table, its stage's name prefix written `msgs-<stage>`. */
function layoutTable(stage: Stage): string {
  const dashboard = synthStage(stage).only('aws_cloudwatch_dashboard');
  const { widgets } = JSON.parse(String(dashboard.dashboard_body)) as { widgets: Widget[] };
  const title = ({ properties }: Widget) =>
    properties.title ?? (properties.markdown ?? '').split('\n')[0].replace(/^#+ */, '');
  return [
    '| y | x | width × height | widget | title |',
    '| ---: | ---: | --- | --- | --- |',
    ...widgets.map(
      (widget) =>
        `| ${widget.y} | ${widget.x} | ${widget.width} × ${widget.height} | ${widget.type} | ${title(widget).replaceAll('|', '\\|')} |`,
    ),
  ]
    .join('\n')
    .replaceAll(TEST_CONFIGS[stage].namePrefix, 'msgs-<stage>');
}

describe("docs/alarms-and-dashboard.md's dashboard layout", () => {
  it('is the same for every stage', () => {
    const [first, ...others] = STAGES.map(layoutTable);
    for (const other of others) expect(other).toBe(first);
  });

  it('shows the table rendered from the synthesized dashboard', () => {
    const rendered = `${BEGIN}\n${layoutTable(STAGES[0])}\n${END}`;
    const page = fs.readFileSync(PAGE, 'utf8');
    expect({ begin: page.includes(BEGIN), end: page.includes(END) }).toEqual({
      begin: true,
      end: true,
    });
    const current = page.slice(page.indexOf(BEGIN), page.indexOf(END) + END.length);
    if (process.env.UPDATE_DOCS === '1' && current !== rendered) {
      fs.writeFileSync(PAGE, page.replace(current, rendered));
      return;
    }
    expect(current).toBe(rendered);
  });
});
