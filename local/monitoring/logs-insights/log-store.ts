import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { LogEvent } from './log-event';

/** Where a query reads its events from. */
export interface LogStore {
  /**
   * The events of these log groups with start <= @timestamp < end, in the order they were written.
   * A group that does not exist is an error, as StartQuery's ResourceNotFoundException: a widget
   * with a misspelt group must not show an empty table.
   */
  events(groups: readonly string[], start: number, end: number): Promise<LogEvent[]>;
}

// "Log group names can be between 1 and 512 characters long ... a-z, A-Z, 0-9, '_' (underscore),
// '-' (hyphen), '/' (forward slash), '.' (period), and '#' (number sign)"
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html)
const LOG_GROUP_NAME = /^[A-Za-z0-9_\-/.#]{1,512}$/;

export function checkGroupName(group: string): void {
  if (!LOG_GROUP_NAME.test(group))
    throw new Error(
      `invalid log group name ${JSON.stringify(group)}: 1 to 512 of a-z A-Z 0-9 _ - / . #`,
    );
}

export class UnknownLogGroupError extends Error {
  constructor(group: string) {
    super(`log group ${JSON.stringify(group)} does not exist`);
    this.name = 'UnknownLogGroupError';
  }
}

function inRange(event: LogEvent, start: number, end: number): boolean {
  return event['@timestamp'] >= start && event['@timestamp'] < end;
}

export class InMemoryLogStore implements LogStore {
  private readonly groups = new Map<string, LogEvent[]>();

  createGroup(group: string): void {
    checkGroupName(group);
    if (!this.groups.has(group)) this.groups.set(group, []);
  }

  /** Appends an event, creating its group if needed. */
  append(group: string, event: LogEvent): void {
    this.createGroup(group);
    this.groups.get(group)?.push(event);
  }

  async events(groups: readonly string[], start: number, end: number): Promise<LogEvent[]> {
    return groups.flatMap((group) => {
      const events = this.groups.get(group);
      if (events === undefined) throw new UnknownLogGroupError(group);
      return events.filter((event) => inRange(event, start, end));
    });
  }
}

/**
 * Log groups as JSON Lines files in one directory: a file per group, its name the group's name
 * URI-encoded (`%2Faws%2Flambda%2Fmsgs-dev-api.jsonl`), one event per line as LogEvent.
 * Another process may be appending while a query reads: a last line without its newline is still
 * being written and is left for the next read.
 */
export class JsonLinesLogStore implements LogStore {
  constructor(readonly directory: string) {}

  fileOf(group: string): string {
    checkGroupName(group);
    const name = `${encodeURIComponent(group)}.jsonl`;
    // 255 bytes is the file name limit of ext4, APFS and NTFS.
    if (name.length > 255)
      throw new Error(`log group name ${JSON.stringify(group)} is too long for a local file name`);
    return path.join(this.directory, name);
  }

  async createGroup(group: string): Promise<void> {
    const file = this.fileOf(group);
    await fs.mkdir(this.directory, { recursive: true });
    await fs.appendFile(file, '');
  }

  /** Appends an event, creating its group if needed; one write, so a reader sees a whole line or none. */
  async append(group: string, event: LogEvent): Promise<void> {
    const file = this.fileOf(group);
    await fs.mkdir(this.directory, { recursive: true });
    await fs.appendFile(file, `${JSON.stringify(event)}\n`);
  }

  async events(groups: readonly string[], start: number, end: number): Promise<LogEvent[]> {
    const perGroup = await Promise.all(groups.map((group) => this.read(group)));
    return perGroup.flat().filter((event) => inRange(event, start, end));
  }

  private async read(group: string): Promise<LogEvent[]> {
    const file = this.fileOf(group);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e: unknown) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UnknownLogGroupError(group);
      throw e;
    }
    const lines = text.split('\n');
    // The last piece is '' after a complete line, or a line still being written.
    lines.pop();
    return lines.flatMap((line, i) =>
      line.trim() === '' ? [] : [parseLine(line, `${file}:${i + 1}`)],
    );
  }
}

function parseLine(line: string, where: string): LogEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e: unknown) {
    throw new Error(`${where}: not a JSON line (${e instanceof Error ? e.message : String(e)})`, {
      cause: e,
    });
  }
  if (!isLogEvent(value))
    throw new Error(`${where}: not a log event (needs a numeric @timestamp and a string @message)`);
  return value;
}

function isLogEvent(value: unknown): value is LogEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  return (
    typeof event['@timestamp'] === 'number' &&
    Number.isFinite(event['@timestamp']) &&
    typeof event['@message'] === 'string' &&
    ['@logStream', '@log'].every(
      (key) => event[key] === undefined || typeof event[key] === 'string',
    )
  );
}
