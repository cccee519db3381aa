// Loaded with --require by scripts/bench.ts: reports the process's peak memory when it exits, and
// how many modules of the AWS provider package it loaded.
process.on('exit', () => {
  const provider = Object.keys(require.cache).filter((file) =>
    file.includes('/node_modules/@cdktf/provider-aws/'),
  ).length;
  process.stderr.write(
    `bench-probe maxRSS=${process.resourceUsage().maxRSS} providerModules=${provider}\n`,
  );
});
