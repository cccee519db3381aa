import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Fn, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  consoleLink,
  dashboardBody,
  LOG_GROUP_LINK_ENCODINGS,
  linkWithReference,
  type DashboardBody,
  type HorizontalAnnotation,
  type WidgetSpec,
} from '@monitored/cloudwatch-model';
import type { BuiltAlarm } from './alarms';

export interface DashboardProps {
  /** From `physicalName(…, 'cloudwatchDashboard')`: dashboards are global, so it names the stage. */
  readonly name: string;
  /** The widgets in reading order; `dashboardBody` lays them out. */
  readonly widgets: readonly WidgetSpec[];
  /** @default the stack's default AWS provider */
  readonly provider?: AwsProvider;
}

/**
 * A CloudWatch dashboard from typed widgets (@monitored/cloudwatch-model), laid out by one
 * function; references to the stack's resources in it resolve when Terraform runs.
 */
export class Dashboard extends Construct {
  public readonly dashboard: CloudwatchDashboard;
  /** The body before references resolve: what tests and a local preview read. */
  public readonly body: DashboardBody;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    this.body = dashboardBody([...props.widgets]);
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.name,
      dashboardBody: JSON.stringify(this.body),
      provider: props.provider,
    });
  }
}

/**
 * A console link to a log group whose name is a reference (a canary's is named after a Lambda
 * function AWS creates, known only when Terraform runs). The link encodes the name, so Terraform
 * encodes it, in a local (`<id>-log-group-link` under `scope`) that keeps the expression and its
 * quotes out of a dashboard body, which then stays JSON until Terraform fills it in.
 */
export function logGroupLink(
  scope: Construct,
  id: string,
  region: string,
  logGroupName: string,
): string {
  let encoded = logGroupName;
  for (let i = 0; i < LOG_GROUP_LINK_ENCODINGS; i++) encoded = Fn.urlencode(encoded);
  return new TerraformLocal(
    scope,
    `${id}-log-group-link`,
    linkWithReference(
      (placeholder) => consoleLink.logGroup(region, placeholder),
      Token.asString(Fn.replace(encoded, '%', '$')),
    ),
  ).asString;
}

/**
 * A console link to a resource through the reference to its name. `name`, the same name known at
 * synth, proves that the link needs no encoding of it (which Terraform would have to do).
 */
export function linkByReference(
  makeLink: (region: string, name: string) => string,
  region: string,
  reference: string,
  name: string,
): string {
  const inLink = (value: string) => makeLink(region, value);
  if (inLink(name) !== linkWithReference(inLink, name)) {
    throw new Error(`"${name}" is encoded in its link, so the link cannot name it by reference`);
  }
  return linkWithReference(inLink, reference);
}

/** An alarm's threshold as a line on its metric's graph; none for an alarm not built. */
export function thresholdLine(built: BuiltAlarm | undefined): HorizontalAnnotation[] {
  return built === undefined
    ? []
    : [{ value: built.threshold.threshold, label: `alarm: ${built.name}`, color: '#d13212' }];
}
