// Loaded with --require by scripts/bench.ts: reports the process's peak memory when it exits.
process.on('exit', () => {
  process.stderr.write(`bench-probe maxRSS=${process.resourceUsage().maxRSS}\n`);
});
