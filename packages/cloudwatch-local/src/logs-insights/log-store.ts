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

const MIB = 1024 * 1024;
const DAY_MS = 86_400_000;
/** What a group keeps by default: lines of up to this many bytes, the oldest dropped first. */
export const DEFAULT_GROUP_BUDGET_BYTES = 32 * MIB;
const DEFAULT_SEGMENT_BYTES = MIB;
// "Each log event can be no larger than 1 MB" (PutLogEvents). Where Lambda cuts a longer line is
// not documented: here the message is cut to that many bytes of UTF-8, whole characters only.
const MAX_MESSAGE_BYTES = MIB;

export interface LogGroupSettings {
  /**
   * The group's retention_in_days: a line older than this, in the store's clock, is gone.
   * @default kept for the run
   */
  readonly retentionDays?: number;
}

export interface InMemoryLogStoreOptions {
  /** The time retention counts in, ms since the epoch (the loop's simulated clock). @default Date.now */
  readonly now?: () => number;
  /** Bytes of lines each group keeps; past it the oldest go first. @default 32 MiB */
  readonly groupBudgetBytes?: number;
  /** Lines are kept in blocks of this size, the unit of what is dropped. @default 1 MiB */
  readonly segmentBytes?: number;
}

/** What a group holds and what it no longer holds. */
export interface LogGroupUsage {
  readonly lines: number;
  /** Memory its lines take (whole blocks). */
  readonly bytes: number;
  readonly budgetBytes: number;
  readonly retentionDays?: number;
  /** Lines dropped to stay within budgetBytes, oldest first, since the start. */
  readonly droppedLines: number;
  /** The newest @timestamp among them: a query that starts before it may miss lines. */
  readonly droppedBefore?: number;
  /** Lines gone because they were older than the retention. */
  readonly expiredLines: number;
}

/**
 * A block of lines, as JSON Lines in UTF-8, in memory that a query worker can read as it is
 * (query-runner.ts): lines are only ever appended past `used`, so what a reader was given never
 * changes under it.
 */
export interface LogSegment {
  readonly buffer: SharedArrayBuffer;
  /** Bytes of whole lines. */
  readonly used: number;
  readonly lines: number;
  readonly oldest: number;
  readonly newest: number;
}

/** The store's groups as a query sees them at one instant. */
export interface LogSnapshot {
  readonly groups: readonly {
    readonly name: string;
    readonly segments: readonly LogSegment[];
    /** Lines with an earlier @timestamp are past the retention: a query never sees them. */
    readonly cutoff: number;
    readonly usage: LogGroupUsage;
  }[];
}

interface Segment {
  readonly buffer: SharedArrayBuffer;
  readonly bytes: Buffer;
  used: number;
  lines: number;
  oldest: number;
  newest: number;
}

interface Group {
  readonly retentionMs: number;
  readonly retentionDays?: number;
  readonly segments: Segment[];
  lines: number;
  bytes: number;
  droppedLines: number;
  droppedBefore?: number;
  expiredLines: number;
}

/**
 * The log groups of a run, in memory: each keeps its lines for its retention, in the store's clock,
 * as CloudWatch Logs keeps them for the group's retention_in_days, and at most its byte budget,
 * dropping the oldest block of lines first and counting what it dropped, so that a flood of lines
 * neither grows the process without end nor goes unsaid.
 */
export class InMemoryLogStore implements LogStore {
  private readonly groups = new Map<string, Group>();
  private readonly now: () => number;
  private readonly budgetBytes: number;
  private readonly segmentBytes: number;

  constructor(options: InMemoryLogStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.budgetBytes = options.groupBudgetBytes ?? DEFAULT_GROUP_BUDGET_BYTES;
    this.segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    if (!(this.segmentBytes > 0 && this.budgetBytes >= this.segmentBytes))
      throw new RangeError(
        `the group budget (${this.budgetBytes} bytes) must hold at least one block (${this.segmentBytes} bytes)`,
      );
  }

  createGroup(group: string, settings: LogGroupSettings = {}): void {
    checkGroupName(group);
    if (this.groups.has(group)) return;
    const { retentionDays } = settings;
    if (retentionDays !== undefined && !(retentionDays > 0))
      throw new RangeError(`retentionDays must be positive, got ${retentionDays}`);
    this.groups.set(group, {
      retentionMs: retentionDays === undefined ? Infinity : retentionDays * DAY_MS,
      retentionDays,
      segments: [],
      lines: 0,
      bytes: 0,
      droppedLines: 0,
      expiredLines: 0,
    });
  }

  /** Appends an event, creating its group if needed. */
  append(group: string, event: LogEvent): void {
    this.createGroup(group);
    const state = this.groups.get(group) as Group;
    const timestamp = event['@timestamp'];
    this.expire(state);
    if (timestamp < this.cutoff(state)) {
      state.expiredLines += 1;
      return;
    }
    const line = `${JSON.stringify({ ...event, '@message': cut(event['@message']) })}\n`;
    const size = Buffer.byteLength(line);
    let segment = state.segments[state.segments.length - 1];
    if (segment === undefined || segment.used + size > segment.bytes.length) {
      const buffer = new SharedArrayBuffer(Math.max(this.segmentBytes, size));
      segment = {
        buffer,
        bytes: Buffer.from(buffer),
        used: 0,
        lines: 0,
        oldest: timestamp,
        newest: timestamp,
      };
      state.segments.push(segment);
      state.bytes += buffer.byteLength;
      while (state.bytes > this.budgetBytes && state.segments.length > 1) {
        const dropped = this.drop(state);
        state.droppedLines += dropped.lines;
        state.droppedBefore = Math.max(state.droppedBefore ?? -Infinity, dropped.newest);
      }
    }
    segment.bytes.write(line, segment.used, 'utf8');
    segment.used += size;
    segment.lines += 1;
    segment.oldest = Math.min(segment.oldest, timestamp);
    segment.newest = Math.max(segment.newest, timestamp);
    state.lines += 1;
  }

  async events(groups: readonly string[], start: number, end: number): Promise<LogEvent[]> {
    const { groups: found } = this.snapshot(groups);
    return found.flatMap((group) =>
      selectEvents(group.segments, Math.max(start, group.cutoff), end),
    );
  }

  /**
   * The groups as they are now (all of them, or those named), for a query to read on another
   * thread: no line is copied. Throws UnknownLogGroupError for a group that does not exist.
   */
  snapshot(names?: readonly string[]): LogSnapshot {
    return {
      groups: (names ?? [...this.groups.keys()]).map((name) => {
        const state = this.groups.get(name);
        if (state === undefined) throw new UnknownLogGroupError(name);
        this.expire(state);
        return {
          name,
          segments: state.segments.map(({ buffer, used, lines, oldest, newest }) => ({
            buffer,
            used,
            lines,
            oldest,
            newest,
          })),
          cutoff: this.cutoff(state),
          usage: usageOf(state, this.budgetBytes),
        };
      }),
    };
  }

  usage(group: string): LogGroupUsage {
    const state = this.groups.get(group);
    if (state === undefined) throw new UnknownLogGroupError(group);
    this.expire(state);
    return usageOf(state, this.budgetBytes);
  }

  private cutoff(state: Group): number {
    return this.now() - state.retentionMs;
  }

  /** Drops the blocks whose lines are all past the retention; counts the lines of a block that remain. */
  private expire(state: Group): void {
    const cutoff = this.cutoff(state);
    while (state.segments.length > 0 && state.segments[0].newest < cutoff)
      state.expiredLines += this.drop(state).lines;
  }

  private drop(state: Group): Segment {
    const segment = state.segments.shift() as Segment;
    state.bytes -= segment.buffer.byteLength;
    state.lines -= segment.lines;
    return segment;
  }
}

function usageOf(state: Group, budgetBytes: number): LogGroupUsage {
  return {
    lines: state.lines,
    bytes: state.bytes,
    budgetBytes,
    retentionDays: state.retentionDays,
    droppedLines: state.droppedLines,
    droppedBefore: state.droppedBefore,
    expiredLines: state.expiredLines,
  };
}

/** The message cut to MAX_MESSAGE_BYTES of UTF-8, at a character boundary. */
function cut(message: string): string {
  if (message.length * 3 <= MAX_MESSAGE_BYTES || Buffer.byteLength(message) <= MAX_MESSAGE_BYTES)
    return message;
  const bytes = Buffer.from(message).subarray(0, MAX_MESSAGE_BYTES);
  // A character cut in two decodes as U+FFFD at the end: leave it out.
  return bytes.toString('utf8').replace(/\uFFFD$/, '');
}

/** The events of these blocks with start <= @timestamp < end, in the order they were written. */
export function selectEvents(
  segments: readonly LogSegment[],
  start: number,
  end: number,
): LogEvent[] {
  const events: LogEvent[] = [];
  for (const segment of segments) {
    if (segment.newest < start || segment.oldest >= end || segment.used === 0) continue;
    const text = Buffer.from(segment.buffer, 0, segment.used).toString('utf8');
    let from = 0;
    while (from < text.length) {
      const to = text.indexOf('\n', from);
      const event = JSON.parse(text.slice(from, to)) as LogEvent;
      if (inRange(event, start, end)) events.push(event);
      from = to + 1;
    }
  }
  return events;
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
