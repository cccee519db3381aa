/**
 * A fed monitor (monitor.ts) in a process of its own, for the tests that must watch it from
 * outside while a query runs: `node --import tsx test/support/monitor-process.ts [budget ms]`.
 * Prints one JSON line per event on stdout: `{"url"}` once it listens, `{"query": "<outcome>"}`
 * as queries start and end, `{"stopped": true}` after SIGINT has stopped the server. It leaves the
 * process to end by itself: if anything the monitor started outlived the stop, it would not.
 */
/** The userAgent a backtracking engine takes minutes over, with `/(a+)+$/` (issue 21). */
export const BACKTRACKING_USER_AGENT = `${'a'.repeat(30)}!`;
/** Lines that make `/(?<x>(.*a){20})/` slow even in linear time: about 20k characters each. */
export const HEAVY_LINE = `${'a'.repeat(20_000)}b`;
export const HEAVY_LINES = 200;
export const HEAVY_GROUP = '/local/heavy';

const say = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function main(): Promise<void> {
  // synth.ts registers an afterAll hook: outside jest there is nothing to register it with.
  (globalThis as { afterAll?: unknown }).afterAll ??= () => undefined;
  const { startFedMonitor } = await import('./monitor.js');
  const timeMs = Number(process.argv[2] ?? 60_000);
  const monitor = await startFedMonitor('dev', {
    queries: { timeMs, onEvent: (event) => say({ query: event.type }) },
  });
  const now = Date.now();
  monitor.setNow(now);
  monitor.logs.append(monitor.definitions.names.accessLogGroup, {
    '@timestamp': now - 60_000,
    '@message': JSON.stringify({
      requestId: 'r-1',
      status: 404,
      userAgent: BACKTRACKING_USER_AGENT,
    }),
  });
  for (let i = 0; i < HEAVY_LINES; i += 1)
    monitor.logs.append(HEAVY_GROUP, { '@timestamp': now - 60_000 + i, '@message': HEAVY_LINE });
  process.once('SIGINT', () => {
    void monitor.server.stop().then(() => say({ stopped: true }));
  });
  say({ url: monitor.server.url });
}

if (require.main === module) void main();
