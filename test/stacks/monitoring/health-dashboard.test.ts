import { METRICS } from '../../../stacks/monitoring/catalogue';
import { CANARY_NAMES, CANARY_STEPS } from '../../../contract/canaries';
import { localStandIns, parseQuery } from '@monitored/cloudwatch-local';
import { TerraformResolver, type TerraformJson } from '@monitored/terraform-json';
import { stageConfigs } from '../../../stacks/config';
import {
  parseConsoleLink,
  DYNAMODB_OPERATIONS,
  GRID_COLUMNS,
  type BodyWidget,
} from '@monitored/cloudwatch-model';
import { synthStage, type Synthesized } from '../../support/synth';

interface Body {
  readonly widgets: BodyWidget[];
  readonly start: string;
}

const REFERENCE = /^\$\{([a-z0-9_]+)\.([\w-]+)\.(\w+)\}$/;
/** Literal dimension values a dashboard may name: they are not resources. */
const LITERAL_VALUES = new Set<string>([
  ...Object.values(CANARY_STEPS).flat(),
  ...DYNAMODB_OPERATIONS,
  'Global',
]);

describe.each(['dev', 'prod'] as const)('the %s dashboard', (stage) => {
  const s = () => synthStage(stage);
  const dashboard = () => s().only('aws_cloudwatch_dashboard');
  const body = () => JSON.parse(String(dashboard().dashboard_body)) as Body;
  const exists = (synthesized: Synthesized, reference: string) => {
    const match = REFERENCE.exec(reference);
    return match !== null && synthesized.json.resource[match[1]]?.[match[2]] !== undefined;
  };
  const metricRows = () =>
    body()
      .widgets.filter((widget) => widget.type === 'metric')
      .flatMap((widget) =>
        (widget.properties.metrics as unknown[][]).map((row) => ({ widget, row })),
      );

  it('is named for the stage, and its body is JSON as synthesized', () => {
    expect(dashboard().dashboard_name).toBe(`msgs-${stage}-health`);
    expect(body().start).toBe('-PT3H');
  });

  it('names only metrics of the catalogue, each dimension a reference to a resource of this stack', () => {
    for (const { row } of metricRows()) {
      const [namespace, name, ...rest] = row;
      const pairs = rest.slice(0, -1) as string[];
      const dimensions = pairs.filter((_, index) => index % 2 === 0);
      const values = pairs.filter((_, index) => index % 2 === 1);
      expect([
        namespace,
        name,
        METRICS.find(String(namespace), String(name), dimensions)?.name,
      ]).toEqual([namespace, name, name]);
      for (const value of values) {
        expect([value, LITERAL_VALUES.has(value) || exists(s(), value)]).toEqual([value, true]);
      }
    }
  });

  it('references the very function, table, API, stage, distribution and canaries of the stack', () => {
    const values = new Set(
      metricRows().flatMap(({ row }) =>
        row.filter((cell): cell is string => typeof cell === 'string'),
      ),
    );
    for (const reference of [
      s().ref('aws_lambda_function', 'function_name'),
      s().ref('aws_dynamodb_table', 'name'),
      s().ref('aws_apigatewayv2_api', 'id'),
      s().ref('aws_apigatewayv2_stage', 'name'),
      s().ref('aws_cloudfront_distribution', 'id'),
      ...CANARY_NAMES.map((journey) =>
        s().refAt('aws_synthetics_canary', `canaries/${journey}/canary`, 'name'),
      ),
    ]) {
      expect(values).toContain(reference);
    }
  });

  it('graphs CloudFront in us-east-1, where its metrics are, and everything else in the stage region', () => {
    for (const { widget } of metricRows()) {
      const cloudfront = (widget.properties.metrics as unknown[][]).some(
        (row) => row[0] === 'AWS/CloudFront',
      );
      expect([widget.properties.title, widget.properties.region]).toEqual([
        widget.properties.title,
        cloudfront ? 'us-east-1' : stage === 'dev' ? 'us-west-2' : 'us-east-1',
      ]);
    }
  });

  it('shows every alarm of the stack in the alarm widget', () => {
    const widget = body().widgets.find((candidate) => candidate.type === 'alarm');
    const alarms = [
      ...Object.keys(s().json.resource.aws_cloudwatch_metric_alarm).map(
        (name) => `\${aws_cloudwatch_metric_alarm.${name}.arn}`,
      ),
      ...Object.keys(s().json.resource.aws_cloudwatch_composite_alarm).map(
        (name) => `\${aws_cloudwatch_composite_alarm.${name}.arn}`,
      ),
    ];
    expect(new Set(widget?.properties.alarms as string[])).toEqual(new Set(alarms));
  });

  it("draws each journey's alarm threshold on its success graph", () => {
    for (const journey of CANARY_NAMES) {
      const graph = body().widgets.find(
        (widget) =>
          widget.properties.title === `${journey} journey: success % (after retries), and per step`,
      );
      expect(graph?.properties.annotations).toEqual({
        horizontal: [
          {
            value: 100,
            label: `alarm: msgs-${stage}-${journey}-journey-failing`,
            color: '#d13212',
          },
        ],
      });
      // Every step of the journey has its line.
      const steps = (graph?.properties.metrics as unknown[][])
        .map((row) => row[5])
        .filter((step) => step !== undefined);
      expect(steps).toEqual(CANARY_STEPS[journey]);
    }
  });

  it('queries log groups of this stack with queries the Logs Insights subset reads', () => {
    const logs = body().widgets.filter((widget) => widget.type === 'log');
    expect(logs.map((widget) => widget.properties.title)).toEqual([
      'Recent errors (function ERROR lines and 5xx answers)',
      'Slowest requests',
      "Canaries' requests that failed",
      'What the canaries logged as errors',
      'Messages created per hour',
    ]);
    const groups = new Set<string>();
    for (const widget of logs) {
      const query = String(widget.properties.query);
      for (const [, group] of query.matchAll(/SOURCE '([^']+)'/g)) {
        expect(REFERENCE.exec(group)?.[1]).toBe('aws_cloudwatch_log_group');
        expect(exists(s(), group)).toBe(true);
        groups.add(group);
      }
      expect(() => parseQuery(query)).not.toThrow();
    }
    // The function's, the access log's and each canary's.
    expect(groups.size).toBe(2 + CANARY_NAMES.length);
  });

  it('fits the 24-column grid with no two widgets overlapping, and AWS limits', () => {
    const widgets = body().widgets;
    expect(widgets.length).toBeLessThanOrEqual(500);
    const taken = new Set<string>();
    for (const widget of widgets) {
      expect(widget.x + widget.width).toBeLessThanOrEqual(GRID_COLUMNS);
      for (let x = widget.x; x < widget.x + widget.width; x++) {
        for (let y = widget.y; y < widget.y + widget.height; y++) {
          expect(taken.has(`${x},${y}`)).toBe(false);
          taken.add(`${x},${y}`);
        }
      }
    }
  });

  it("stays within the free tier's 50 metrics a dashboard (each metric once, whatever its statistic)", () => {
    const metrics = new Set(metricRows().map(({ row }) => JSON.stringify(row.slice(0, -1))));
    expect(metrics.size).toBeLessThanOrEqual(50);
  });

  it('links the header to the site, the API, each canary, each log group and the alarms, by reference', () => {
    const header = String(body().widgets[0].properties.markdown);
    expect(header).toContain(
      `[Website](https://${s().ref('aws_cloudfront_distribution', 'domain_name')})`,
    );
    expect(header).toContain(`(${s().ref('aws_apigatewayv2_api', 'api_endpoint')}/messages)`);
    for (const journey of CANARY_NAMES) {
      const canary = s().refAt('aws_synthetics_canary', `canaries/${journey}/canary`, 'name');
      expect(header).toContain(`#synthetics:canary/detail/${canary})`);
    }
    expect(header).toContain(
      `#alarmsV2:alarm/${s().refAt('aws_cloudwatch_composite_alarm', 'alarms/site-down', 'alarm_name')})`,
    );
    const deploy = s().refAt(
      'aws_cloudwatch_metric_alarm',
      'alarms/deploy-in-progress',
      'alarm_name',
    );
    expect(header).toContain(`#alarmsV2:alarm/${deploy})`);
  });

  it("links every log group through a local in which Terraform encodes the group's name", () => {
    const header = String(body().widgets[0].properties.markdown);
    const locals = Object.entries(s().json.locals ?? {});
    const region = stageConfigs({ alertEmails: { dev: [], prod: [] } })[stage].region;
    const resolver = new TerraformResolver(
      s().json as TerraformJson,
      localStandIns(() => region),
    );
    const linked = locals.map(([local, value]) => {
      expect(header).toContain(`\${local.${local}}`);
      expect(String(value)).toMatch(
        /\$\{replace\(urlencode\(urlencode\(aws_cloudwatch_log_group\.[\w-]+\.name\)\), "%", "\$"\)\}$/,
      );
      return parseConsoleLink(String(resolver.resolve(`\${local.${local}}`)));
    });
    const groups = Object.keys(s().json.resource.aws_cloudwatch_log_group).map((name) =>
      resolver.attribute('aws_cloudwatch_log_group', name, 'name'),
    );
    expect(linked).toHaveLength(groups.length);
    expect(linked).toEqual(
      expect.arrayContaining(groups.map((name) => ({ kind: 'logGroup', region, name }))),
    );
  });
});
