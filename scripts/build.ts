/** `npm run build`: bundles the function and builds the website, as synth and `npm start` do. */
import { gzipSync } from 'node:zlib';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleLambda } from '../bundling/lambda';
import { buildWebsite } from '../bundling/website';
import { parseCommandLine, refuse, UsageError } from './usage';

const USAGE = 'Usage: npm run build (no options)';

try {
  parseCommandLine({ args: process.argv.slice(2), options: {} });
} catch (error: unknown) {
  if (!(error instanceof UsageError)) throw error;
  process.exit(refuse(error, USAGE));
}

const lambda = bundleLambda();
process.stdout.write(
  `Lambda bundle: ${path.relative(process.cwd(), lambda.directory)}/index.js (${lambda.bytes} bytes)\n`,
);
const website = buildWebsite();
process.stdout.write(`Website: ${path.relative(process.cwd(), website.directory)}/\n`);
for (const file of website.files) {
  const gzip = gzipSync(fs.readFileSync(path.join(website.directory, file.key))).length;
  process.stdout.write(
    `  ${file.key.padEnd(34)} ${String(file.bytes).padStart(7)} bytes ${String(gzip).padStart(6)} gzip\n`,
  );
}
