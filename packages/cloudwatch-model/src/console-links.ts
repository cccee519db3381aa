/**
 * Links into the CloudWatch console, for alarm descriptions and the dashboard's header. AWS does
 * not document these URL formats; they are the ones the console itself produces (and alarm emails
 * use), so a deployer should click each once after the first deploy. The local monitor parses the
 * same links (`parseConsoleLink`) to point them at its local equivalents. No cdktf imports.
 */

const consoleHome = (region: string) =>
  `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}`;

/**
 * The console's fragment encoding: percent-encoding with `%` written as `$` (`/` becomes `$252F`
 * inside a path segment, because the console decodes twice).
 */
function fragmentEncode(value: string, times = 1): string {
  let encoded = value;
  for (let i = 0; i < times; i++) encoded = encodeURIComponent(encoded);
  return encoded.replace(/%/g, '$');
}

/**
 * JSURL, the compact JSON the console uses in `queryDetail`: strings start with `'`, objects are
 * `(key~value~key~value)`, arrays `(~item~item)`; characters outside `[A-Za-z0-9_.-]` are escaped
 * as `*XX` (or `**XXXX` above U+00FF).
 */
type JsurlValue = string | number | readonly JsurlValue[] | { readonly [key: string]: JsurlValue };

function jsurlString(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (/[A-Za-z0-9_.-]/.test(char)) out += char;
    else if (code <= 0xff) out += `*${code.toString(16).padStart(2, '0')}`;
    else {
      for (const unit of char.split(''))
        out += `**${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  }
  return out;
}

function jsurl(value: JsurlValue): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${jsurlString(value)}`;
  if (Array.isArray(value)) return `(${value.map((item) => `~${jsurl(item)}`).join('')})`;
  const entries = Object.entries(value as { readonly [key: string]: JsurlValue });
  return `(${entries.map(([key, item]) => `${jsurlString(key)}~${jsurl(item)}`).join('~')})`;
}

function jsurlDecode(text: string): JsurlValue {
  let at = 0;
  const readString = (): string => {
    let out = '';
    while (at < text.length && !'~)'.includes(text[at])) {
      if (text.startsWith('**', at)) {
        out += String.fromCharCode(parseInt(text.slice(at + 2, at + 6), 16));
        at += 6;
      } else if (text[at] === '*') {
        out += String.fromCharCode(parseInt(text.slice(at + 1, at + 3), 16));
        at += 3;
      } else out += text[at++];
    }
    return out;
  };
  const readValue = (): JsurlValue => {
    if (text[at] === "'") {
      at++;
      return readString();
    }
    if (text[at] === '(') {
      at++;
      if (text[at] === '~') {
        const items: JsurlValue[] = [];
        while (text[at] === '~') {
          at++;
          items.push(readValue());
        }
        at++;
        return items;
      }
      const object: Record<string, JsurlValue> = {};
      while (at < text.length && text[at] !== ')') {
        const key = readString();
        at++;
        object[key] = readValue();
        if (text[at] === '~') at++;
      }
      at++;
      return object;
    }
    const number = readString();
    return Number(number);
  };
  return readValue();
}

export interface LogsInsightsLink {
  readonly region: string;
  readonly logGroups: readonly string[];
  readonly query: string;
  /** How far back the query looks. @default 3 hours */
  readonly lookBackSeconds?: number;
}

/** How many times `consoleLink.logGroup` encodes a name, for encoding it elsewhere (Terraform). */
export const LOG_GROUP_LINK_ENCODINGS = 2;

export const consoleLink = {
  alarm: (region: string, name: string) =>
    `${consoleHome(region)}#alarmsV2:alarm/${fragmentEncode(name)}`,
  dashboard: (region: string, name: string) =>
    `${consoleHome(region)}#dashboards/dashboard/${fragmentEncode(name)}`,
  canary: (region: string, name: string) =>
    `${consoleHome(region)}#synthetics:canary/detail/${fragmentEncode(name)}`,
  /** A log group's page (its name encoded twice: the console decodes the path twice). */
  logGroup: (region: string, name: string) =>
    `${consoleHome(region)}#logsV2:log-groups/log-group/${fragmentEncode(name, LOG_GROUP_LINK_ENCODINGS)}`,
  logsInsights: (link: LogsInsightsLink) => {
    const detail = jsurl({
      end: 0,
      start: -(link.lookBackSeconds ?? 3 * 3600),
      timeType: 'RELATIVE',
      unit: 'seconds',
      editorString: link.query,
      source: link.logGroups,
    });
    return `${consoleHome(link.region)}#logsV2:logs-insights${fragmentEncode(`?queryDetail=~${detail}`)}`;
  },
};

/** A name that no encoding of these links changes (letters, digits and a few marks only). */
const PLACEHOLDER = 'TerraformReference';

/**
 * A link to something whose name only Terraform knows (a reference): `makeLink` builds the link
 * around a placeholder, and `encoded`, the reference already encoded the way `makeLink` encodes a
 * name, takes its place. A resource name of `[A-Za-z0-9_-]` needs no encoding in any of them.
 */
export function linkWithReference(makeLink: (name: string) => string, encoded: string): string {
  const parts = makeLink(PLACEHOLDER).split(PLACEHOLDER);
  if (parts.length !== 2)
    throw new Error(`a link must hold its name exactly once: ${parts.join('…')}`);
  return parts.join(encoded);
}

export type ParsedConsoleLink =
  | {
      readonly kind: 'alarm' | 'dashboard' | 'canary' | 'logGroup';
      readonly region: string;
      readonly name: string;
    }
  | {
      readonly kind: 'logsInsights';
      readonly region: string;
      readonly logGroups: string[];
      readonly query: string;
      readonly lookBackSeconds: number;
    };

/**
 * Reads a link made by `consoleLink` back, or undefined for any other URL. Alarm emails link through
 * `/cloudwatch/deeplink.js` instead of `/cloudwatch/home`, with the same fragment: both are read.
 */
export function parseConsoleLink(url: string): ParsedConsoleLink | undefined {
  const match =
    /^https:\/\/([a-z0-9-]+)\.console\.aws\.amazon\.com\/cloudwatch\/(?:home|deeplink\.js)\?region=[a-z0-9-]+#(.*)$/.exec(
      url,
    );
  if (match === null) return undefined;
  const [, region, fragment] = match;
  const decode = (value: string, times = 1) => {
    let decoded = value.replace(/\$/g, '%');
    for (let i = 0; i < times; i++) decoded = decodeURIComponent(decoded);
    return decoded;
  };
  const simple: [RegExp, 'alarm' | 'dashboard' | 'canary' | 'logGroup', number][] = [
    [/^alarmsV2:alarm\/(.+)$/, 'alarm', 1],
    [/^dashboards\/dashboard\/(.+)$/, 'dashboard', 1],
    [/^synthetics:canary\/detail\/(.+)$/, 'canary', 1],
    [/^logsV2:log-groups\/log-group\/(.+)$/, 'logGroup', LOG_GROUP_LINK_ENCODINGS],
  ];
  for (const [pattern, kind, times] of simple) {
    const found = pattern.exec(fragment);
    if (found === null) continue;
    return { kind, region, name: decode(found[1], times) };
  }
  const insights = /^logsV2:logs-insights(.+)$/.exec(fragment);
  if (insights === null) return undefined;
  const query = decode(insights[1]);
  const detail = /^\?queryDetail=~(.+)$/.exec(query);
  if (detail === null) return undefined;
  const value = jsurlDecode(detail[1]) as {
    editorString?: string;
    source?: string[];
    start?: number;
  };
  return {
    kind: 'logsInsights',
    region,
    logGroups: value.source ?? [],
    query: value.editorString ?? '',
    lookBackSeconds: -(value.start ?? -3 * 3600),
  };
}
