/**
 * The one place that builds physical names (`<prefix>-<name>`) and checks each AWS service's
 * rules, so that a name AWS would reject fails at synth, not halfway through an apply. The prefix
 * is the caller's (an app and a stage, `msgs-dev`); constructs never concatenate names themselves.
 */
import { canaryFunctionNamePrefix } from '@monitored/cloudwatch-model';
interface NameRule {
  readonly maxLength: number;
  readonly pattern: RegExp;
  readonly description: string;
}

// Limits from the services' API references (CreateTable, CreateFunction, CreateRole, CreatePolicy, CreateApi,
// CreateCanary, CreateLogGroup, CreateOriginAccessControl, CreateResponseHeadersPolicy, CreateTopic,
// CreateAlias, PutMetricAlarm, PutDashboard).
const NAME_RULES = {
  dynamodbTable: {
    maxLength: 255,
    pattern: /^[a-zA-Z0-9_.-]{3,}$/,
    description: 'letters, digits, _ . -',
  },
  lambdaFunction: {
    maxLength: 64,
    pattern: /^[a-zA-Z0-9_-]+$/,
    description: 'letters, digits, _ -',
  },
  iamRole: { maxLength: 64, pattern: /^[\w+=,.@-]+$/, description: 'letters, digits, +=,.@_-' },
  // CreatePolicy: 1-128 characters of the same set as role names.
  iamPolicy: { maxLength: 128, pattern: /^[\w+=,.@-]+$/, description: 'letters, digits, +=,.@_-' },
  httpApi: { maxLength: 128, pattern: /^[\w .-]+$/, description: 'letters, digits, space, _ . -' },
  // AWS truncates canary names to 21 characters in the names of the canary's Lambda, role and log group.
  canary: {
    maxLength: 21,
    pattern: /^[a-z0-9_-]+$/,
    description: 'lowercase letters, digits, _ -',
  },
  logGroup: { maxLength: 512, pattern: /^[\w#/.-]+$/, description: 'letters, digits, _ - / . #' },
  cloudfrontPolicy: {
    maxLength: 64,
    pattern: /^[a-zA-Z0-9_-]+$/,
    description: 'letters, digits, _ -',
  },
  snsTopic: { maxLength: 256, pattern: /^[a-zA-Z0-9_-]+$/, description: 'letters, digits, _ -' },
  // The part after `alias/`; `alias/aws/` is reserved for AWS managed keys.
  kmsAlias: { maxLength: 250, pattern: /^[a-zA-Z0-9/_-]+$/, description: 'letters, digits, / _ -' },
  // PutMetricAlarm allows any UTF-8 but control characters; names here stay plain for links.
  cloudwatchAlarm: {
    maxLength: 255,
    pattern: /^[a-zA-Z0-9_.-]+$/,
    description: 'letters, digits, _ . -',
  },
  // PutDashboard: "can contain only alphanumerics, dash (-), and underscore (_)".
  cloudwatchDashboard: {
    maxLength: 255,
    pattern: /^[a-zA-Z0-9_-]+$/,
    description: 'letters, digits, _ -',
  },
  // bucket_prefix: Terraform appends 26 characters to reach the 63-character limit; no period,
  // because Synthetics and virtual-hosted TLS both reject dotted bucket names.
  s3BucketPrefix: {
    maxLength: 37,
    pattern: /^[a-z0-9][a-z0-9-]*$/,
    description: 'lowercase letters, digits, -',
  },
} satisfies Record<string, NameRule>;

export type NamedService = keyof typeof NAME_RULES;

/** The log group Lambda writes a function's logs to: `/aws/lambda/<function name>`. */
export function lambdaLogGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** Builds `<prefix>-<name>` for `service`, or throws naming the rule it breaks. */
export function physicalName(prefix: string, name: string, service: NamedService): string {
  const full = service === 's3BucketPrefix' ? `${prefix}-${name}-` : `${prefix}-${name}`;
  const rule: NameRule = NAME_RULES[service];
  if (full.length > rule.maxLength) {
    throw new Error(
      `${service} name "${full}" is ${full.length} characters; the limit is ${rule.maxLength}`,
    );
  }
  if (!rule.pattern.test(full)) {
    throw new Error(`${service} name "${full}" may only contain ${rule.description}`);
  }
  return full;
}

/**
 * The functions (and their layers and log groups) Synthetics makes for a canary, or for the
 * canaries whose names start with `canaryNameOrPrefix`: `cwsyn-<name>-*`. Canary names here are
 * 21 characters at most (the `canary` rule), all of which the function's name keeps.
 */
export function canaryFunctionPattern(canaryNameOrPrefix: string): string {
  return `${canaryFunctionNamePrefix(canaryNameOrPrefix)}-*`;
}
