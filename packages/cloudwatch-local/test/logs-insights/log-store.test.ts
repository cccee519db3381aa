import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runQuery } from '../../src/logs-insights/interpreter';
import { InMemoryLogStore, JsonLinesLogStore } from '../../src/logs-insights/log-store';
import { QueryError } from '../../src/logs-insights/query-error';
import { json, T0, text } from './events';

const GROUP = '/aws/lambda/msgs-dev-api';

describe('InMemoryLogStore', () => {
  it('returns the events of the asked groups with start <= @timestamp < end', async () => {
    const store = new InMemoryLogStore();
    store.append('a', text(-1, 'before'));
    store.append('a', text(0, 'at start'));
    store.append('b', text(5, 'other group'));
    store.append('a', text(10, 'at end'));

    const events = await store.events(['a'], T0, T0 + 10);

    expect(events.map((event) => event['@message'])).toEqual(['at start']);
    expect(await store.events(['a', 'b'], T0, T0 + 10)).toHaveLength(2);
  });

  it('refuses an unknown group, and knows a created one without events', async () => {
    const store = new InMemoryLogStore();
    store.createGroup('empty');

    expect(await store.events(['empty'], T0, T0 + 1)).toEqual([]);
    await expect(store.events(['empty', 'misspelt'], T0, T0 + 1)).rejects.toThrow(
      'log group "misspelt" does not exist',
    );
  });

  it('refuses a group name CloudWatch Logs would refuse', () => {
    const store = new InMemoryLogStore();

    expect(() => store.append('has space', text(0, 'x'))).toThrow('invalid log group name');
    expect(() => store.createGroup('')).toThrow('invalid log group name');
    expect(() => store.createGroup('x'.repeat(513))).toThrow('invalid log group name');
  });
});

const DAY = 86_400_000;

describe('InMemoryLogStore: what it keeps (issue 21, finding 5)', () => {
  /** A simulated clock the test moves; nothing sleeps. */
  const clock = (start: number) => {
    let now = start;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it("forgets a group's lines once they are older than its retention, in the clock's time", async () => {
    const time = clock(T0);
    // Memory is freed a block at a time: blocks of one line here.
    const store = new InMemoryLogStore({ now: time.now, segmentBytes: 64 });
    store.createGroup(GROUP, { retentionDays: 7 });
    store.append(GROUP, text(0, 'a week and a day old'));
    time.advance(DAY);
    store.append(GROUP, { '@timestamp': time.now(), '@message': 'a week old' });
    time.advance(7 * DAY);
    store.append(GROUP, { '@timestamp': time.now(), '@message': 'new' });

    const kept = await store.events([GROUP], T0 - DAY, time.now() + 1);

    expect(kept.map((event) => event['@message'])).toEqual(['a week old', 'new']);
    expect(store.usage(GROUP)).toMatchObject({ lines: 2, expiredLines: 1 });
  });

  it('refuses a line older than the retention, as PutLogEvents does', async () => {
    const time = clock(T0 + 10 * DAY);
    const store = new InMemoryLogStore({ now: time.now });
    store.createGroup(GROUP, { retentionDays: 1 });
    store.append(GROUP, text(0, 'ten days old on arrival'));

    expect(await store.events([GROUP], T0, time.now())).toEqual([]);
    expect(store.usage(GROUP)).toMatchObject({ lines: 0, expiredLines: 1 });
  });

  it('keeps each group under its byte budget, dropping the oldest lines first, and says so', async () => {
    const time = clock(T0);
    const budget = 256 * 1024;
    const store = new InMemoryLogStore({
      now: time.now,
      groupBudgetBytes: budget,
      segmentBytes: 16 * 1024,
    });
    store.createGroup('quiet');
    store.append('quiet', text(0, 'the only line of a quiet group'));
    const lines = 20_000;
    for (let i = 0; i < lines; i += 1) {
      time.advance(10);
      store.append(GROUP, { '@timestamp': time.now(), '@message': `line ${i} ${'x'.repeat(80)}` });
    }

    const usage = store.usage(GROUP);
    const kept = await store.events([GROUP], T0, time.now() + 1);

    expect(usage.bytes).toBeLessThanOrEqual(budget);
    expect(usage.droppedLines).toBeGreaterThan(0);
    expect(usage.droppedLines + usage.lines).toBe(lines);
    expect(kept).toHaveLength(usage.lines);
    expect(kept[kept.length - 1]['@message']).toMatch(/^line 19999 /);
    expect(kept[0]['@message']).toBe(`line ${usage.droppedLines} ${'x'.repeat(80)}`);
    expect(kept[0]['@timestamp']).toBeGreaterThan(usage.droppedBefore ?? Infinity);
    expect(await store.events(['quiet'], T0, T0 + 1)).toHaveLength(1);
  });

  it('cuts a message over 1 MB, the largest event PutLogEvents takes', async () => {
    const store = new InMemoryLogStore();
    store.append(GROUP, text(0, 'é'.repeat(600_000)));

    const [event] = await store.events([GROUP], T0, T0 + 1);

    expect(Buffer.byteLength(event['@message'])).toBeLessThanOrEqual(1024 * 1024);
    expect(event['@message'].startsWith('éé')).toBe(true);
    expect(event['@message'].endsWith('é')).toBe(true);
  });
});

describe('JsonLinesLogStore', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await fs.mkdtemp(path.join(os.tmpdir(), 'logs-insights-'));
  });

  afterEach(async () => {
    await fs.rm(directory, { recursive: true, force: true });
  });

  it('keeps a group in one JSON Lines file named by its encoded name', async () => {
    const store = new JsonLinesLogStore(path.join(directory, 'logs'));

    await store.append(GROUP, text(0, 'one'));
    await store.append(GROUP, { ...text(1, 'two'), '@logStream': '2024/05/19/[$LATEST]abc' });

    const file = path.join(directory, 'logs', '%2Faws%2Flambda%2Fmsgs-dev-api.jsonl');
    expect(store.fileOf(GROUP)).toBe(file);
    const lines = (await fs.readFile(file, 'utf8')).split('\n');
    expect(lines.map((line) => (line ? JSON.parse(line) : line))).toEqual([
      { '@timestamp': T0, '@message': 'one' },
      { '@timestamp': T0 + 1, '@message': 'two', '@logStream': '2024/05/19/[$LATEST]abc' },
      '',
    ]);
    expect(store.fileOf('a#b.c_d-e')).toBe(path.join(directory, 'logs', 'a%23b.c_d-e.jsonl'));
  });

  it('reads back the events in the time range', async () => {
    const store = new JsonLinesLogStore(directory);
    for (const offset of [-1, 0, 5, 10]) await store.append(GROUP, text(offset, `at ${offset}`));

    const events = await store.events([GROUP], T0, T0 + 10);

    expect(events.map((event) => event['@message'])).toEqual(['at 0', 'at 5']);
  });

  it('leaves a last line still being written for the next read', async () => {
    const store = new JsonLinesLogStore(directory);
    await store.append(GROUP, text(0, 'complete'));
    const line = JSON.stringify(text(1, 'in progress'));
    await fs.appendFile(store.fileOf(GROUP), line.slice(0, 20));

    const during = await store.events([GROUP], T0, T0 + 10);
    await fs.appendFile(store.fileOf(GROUP), `${line.slice(20)}\n`);
    const after = await store.events([GROUP], T0, T0 + 10);

    expect(during.map((event) => event['@message'])).toEqual(['complete']);
    expect(after.map((event) => event['@message'])).toEqual(['complete', 'in progress']);
  });

  it('names the file and line of a line that is not a log event', async () => {
    const store = new JsonLinesLogStore(directory);
    await store.append(GROUP, text(0, 'fine'));
    await fs.appendFile(
      store.fileOf(GROUP),
      '{"@timestamp":"yesterday","@message":"x"}\nnot json\n',
    );

    await expect(store.events([GROUP], T0, T0 + 1)).rejects.toThrow(
      `${store.fileOf(GROUP)}:2: not a log event (needs a numeric @timestamp and a string @message)`,
    );
  });

  it('refuses an unknown group, and knows a created one without events', async () => {
    const store = new JsonLinesLogStore(path.join(directory, 'not-yet-made'));
    await store.createGroup('/aws/canary/empty');

    expect(await store.events(['/aws/canary/empty'], T0, T0 + 1)).toEqual([]);
    await expect(store.events(['/aws/lambda/misspelt'], T0, T0 + 1)).rejects.toThrow(
      'log group "/aws/lambda/misspelt" does not exist',
    );
  });

  it('refuses a group name that CloudWatch Logs would refuse or that could leave the directory', () => {
    const store = new JsonLinesLogStore(directory);

    expect(() => store.fileOf('../etc/passwd\0')).toThrow('invalid log group name');
    expect(() => store.fileOf('a:b')).toThrow('invalid log group name');
    expect(() => store.fileOf('/'.repeat(100))).toThrow('too long for a local file name');
  });
});

describe('runQuery', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await fs.mkdtemp(path.join(os.tmpdir(), 'logs-insights-'));
  });

  afterEach(async () => {
    await fs.rm(directory, { recursive: true, force: true });
  });

  it('runs a dashboard query over the JSON Lines files of its SOURCE groups and time range', async () => {
    const store = new JsonLinesLogStore(directory);
    await store.append(GROUP, json(0, { level: 'ERROR', message: 'request failed' }));
    await store.append(GROUP, json(1, { level: 'INFO', message: 'request' }));
    await store.append(GROUP, json(60_000, { level: 'ERROR', message: 'too late' }));
    await store.append('/aws/lambda/other', json(2, { level: 'ERROR', message: 'other group' }));

    const result = await runQuery(
      `SOURCE '${GROUP}' | fields @timestamp, message\n| filter level = "ERROR"`,
      { store, start: T0, end: T0 + 60_000 },
    );

    expect(result).toEqual({
      columns: ['@timestamp', 'message'],
      rows: [{ '@timestamp': '2024-05-19 06:00:00.000', message: 'request failed' }],
    });
  });

  it("reads the caller's groups when the query has no SOURCE", async () => {
    const store = new InMemoryLogStore();
    store.append('a', text(0, 'from a'));
    store.append('b', text(1, 'from b'));

    const result = await runQuery('fields @message', {
      store,
      start: T0,
      end: T0 + 10,
      logGroups: ['a', 'b'],
    });

    expect(result.rows).toEqual([{ '@message': 'from b' }, { '@message': 'from a' }]);
  });

  it('refuses a query with no log group, a reversed time range, and a query outside the subset', async () => {
    const store = new InMemoryLogStore();
    store.createGroup('a');

    await expect(runQuery('fields a', { store, start: T0, end: T0 + 1 })).rejects.toThrow(
      'no log group',
    );
    await expect(runQuery("SOURCE 'a'", { store, start: T0 + 1, end: T0 })).rejects.toThrow(
      'invalid time range',
    );
    await expect(
      runQuery("SOURCE 'a' | dedup x", { store, start: T0, end: T0 + 1 }),
    ).rejects.toThrow(QueryError);
  });
});
