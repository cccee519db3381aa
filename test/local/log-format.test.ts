import {
  colorFor,
  escapeControls,
  failureOf,
  readableAccessLog,
  readableLogLine,
} from '../../local/log-format';
import { platformReport, platformStart } from '../../local/platform-log';

// Every C0 control, DEL, every C1 control, and the bidirectional overrides.
const HOSTILE = [
  ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)),
  '\x7f',
  ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(0x80 + code)),
  '\u202e',
  '\u2066',
  '\u2028',
].join('');
// eslint-disable-next-line no-control-regex -- the control characters are what is tested
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('what the terminal shows of a log line', () => {
  it('escapes every C0 and C1 control, DEL and bidirectional override', () => {
    const escaped = escapeControls(`a${HOSTILE}b`);

    expect(escaped).not.toMatch(RAW_CONTROL);
    expect(escapeControls('\x1b[2J\x07\n\t\u009b')).toBe('\\x1b[2J\\x07\\n\\t\\x9b');
    expect(escapeControls('plain text, é, ✓')).toBe('plain text, é, ✓');
  });

  it('never passes a control character from a field, a key or the message to the terminal', () => {
    const line = JSON.stringify({
      timestamp: '2026-11-28T08:00:00.000Z',
      level: 'WARN',
      message: `request rejected ${HOSTILE}`,
      [`x\x1b[31m`]: `reason \x1b]0;owned\x07`,
      nested: { deep: '\x1b[2J' },
      caller_correlation_id: 'web-\x1b[1m',
    });

    expect(readableLogLine(line, false)).not.toMatch(RAW_CONTROL);
    expect(readableLogLine(line, false)).toContain('x\\x1b[31m=reason \\x1b]0;owned\\x07');
    expect(readableLogLine('not json \x1b[2J', false)).toBe('not json \\x1b[2J');
    expect(readableLogLine(JSON.stringify('\x1b[2J'), false)).not.toMatch(RAW_CONTROL);
  });

  it('colours the level only when asked to', () => {
    const line = JSON.stringify({ level: 'ERROR', message: 'boom' });

    expect(readableLogLine(line, false)).not.toContain('\x1b');
    expect(readableLogLine(line, true)).toContain('\x1b[31mERROR\x1b[0m');
  });

  it('escapes what an access log entry carries', () => {
    const entry = readableAccessLog({
      requestId: 'id\x1b[2J',
      requestTime: '28/Nov/2026:08:00:00 +0000',
      routeKey: '-',
      status: 404,
      responseLatency: 1,
      integrationLatency: '-',
      integrationError: '-',
      sourceIp: '127.0.0.1',
      userAgent: '\x1b[2J',
      errorMessage: '\x1b]0;owned\x07',
      errorResponseType: '-',
      responseLength: 0,
    });

    expect(entry).not.toMatch(RAW_CONTROL);
  });

  it('summarises platform.report on one line and leaves platform.start to the log file', () => {
    const at = new Date('2026-11-28T08:00:00.123Z');
    const report = platformReport(
      {
        requestId: 'r-1',
        durationMs: 12.3456,
        memorySizeMB: 256,
        maxMemoryUsedMB: 80,
        initDurationMs: 300.5,
        failed: false,
      },
      at,
    );

    expect(readableLogLine(JSON.stringify(platformStart('r-1', '$LATEST', at)), false)).toBe(
      undefined,
    );
    expect(readableLogLine(JSON.stringify(report), false)).toBe(
      '08:00:00.123 REPORT 12.346 ms (billed 313 ms, init 300.5 ms), memory 80/256 MB, success [r-1]',
    );
  });
});

describe('colour', () => {
  it.each([
    [true, {}, true],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, {}, false],
    [undefined, {}, false],
  ])('on a terminal: %s, environment %j → %s', (isTTY, env, expected) => {
    expect(colorFor({ isTTY }, env)).toBe(expected);
  });
});

describe('what a function log line says went wrong', () => {
  it("names an ERROR line's error and each cause, outermost first, with its code", () => {
    const line = JSON.stringify({
      level: 'ERROR',
      message: 'request failed',
      error: {
        name: 'DependencyUnavailableError',
        message: 'DynamoDB could not read the count',
        stack: 'DependencyUnavailableError: …',
        cause: { name: 'TimeoutError', message: 'socket hang up', code: 'ECONNRESET' },
      },
    });

    expect(failureOf(line)).toBe(
      'DependencyUnavailableError: DynamoDB could not read the count ← TimeoutError: socket hang up (ECONNRESET)',
    );
  });

  it('says nothing of a line that is not an ERROR with an error, or not JSON', () => {
    expect(failureOf(JSON.stringify({ level: 'WARN', message: 'request rejected' }))).toBe(
      undefined,
    );
    expect(failureOf(JSON.stringify({ level: 'ERROR', message: 'no error field' }))).toBe(
      undefined,
    );
    expect(failureOf('not json')).toBe(undefined);
    expect(failureOf('null')).toBe(undefined);
  });

  it('escapes what the error carries and follows at most five causes of a cycle-free chain', () => {
    let error: Record<string, unknown> = { name: 'Deepest', message: 'x' };
    for (let depth = 0; depth < 8; depth += 1)
      error = { name: `E${depth}`, message: '\x1b[2J', cause: error };
    const said = failureOf(JSON.stringify({ level: 'ERROR', error }));

    expect(said).not.toMatch(RAW_CONTROL);
    expect(said?.split(' ← ')).toHaveLength(5);
  });
});
