/**
 * Loaded before tsx by every npm script (`node --require ./scripts/preflight.cjs --import tsx …`):
 * the temporary folder must be a folder this process can write in. tsx keeps its compile cache
 * there and makes it with Node's recursive mkdir, which never returns for a folder under /proc (it
 * spins at full CPU, deaf to signals, before any script's own check could run). Plain CommonJS,
 * as nothing compiles TypeScript yet.
 */
const fs = require('node:fs');
const os = require('node:os');

const tmp = os.tmpdir();
try {
  if (!fs.statSync(tmp).isDirectory()) throw new Error('it is a file, not a folder');
  fs.accessSync(tmp, fs.constants.W_OK);
} catch (error) {
  const named = process.env.TMPDIR === undefined ? tmp : `TMPDIR=${process.env.TMPDIR}`;
  process.stderr.write(
    `${named}: the temporary folder cannot be used (${error instanceof Error ? error.message : String(error)}); point TMPDIR at a folder you can write in\n`,
  );
  process.exit(2);
}
