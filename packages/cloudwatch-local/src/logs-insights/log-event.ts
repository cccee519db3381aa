import { Timestamp, type Row, type Value } from './values';

/** One log event as CloudWatch Logs stores it, with the system fields Logs Insights generates. */
export interface LogEvent {
  /** ms since the epoch. */
  readonly '@timestamp': number;
  readonly '@message': string;
  readonly '@logStream'?: string;
  /** "a log group identifier in the form of account-id:log-group-name". */
  readonly '@log'?: string;
}

// "CloudWatch Logs Insights can extract a maximum of 1000 log event fields from a JSON log"
// (CWL_AnalyzeLogData-discoverable-fields, current; the 2023 page said 100).
const MAX_DISCOVERED_FIELDS = 1000;

/**
 * The fields a query sees in one event: the system fields, and those discovered in a JSON
 * @message (CWL_AnalyzeLogData-discoverable-fields): nested fields in dot notation
 * (`userIdentity.type`), arrays flattened with indexes (`items.0.instanceId`), and "If the name of a
 * discovered log field starts with the @ character, CloudWatch Logs Insights displays it with an
 * additional @". A JSON null is no value, so the field is absent.
 */
export function eventRow(event: LogEvent): Row {
  const row: Row = new Map<string, Value>([
    ['@timestamp', new Timestamp(event['@timestamp'])],
    ['@message', event['@message']],
  ]);
  if (event['@logStream'] !== undefined) row.set('@logStream', event['@logStream']);
  if (event['@log'] !== undefined) row.set('@log', event['@log']);
  const json = parseObject(event['@message']);
  if (json === undefined) return row;
  let discovered = 0;
  const visit = (name: string, value: unknown): void => {
    if (discovered >= MAX_DISCOVERED_FIELDS || value === null) return;
    if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) visit(name ? `${name}.${key}` : key, inner);
      return;
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      row.set(name.startsWith('@') ? `@${name}` : name, value);
      discovered += 1;
    }
  };
  visit('', json);
  return row;
}

function parseObject(message: string): object | undefined {
  if (!message.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(message);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
