// Which tier each test file runs in, read by jest.config.js (CommonJS: Jest loads its config
// without a TypeScript loader) and by test/tiers/tiers.test.ts.
const fs = require('node:fs');
const path = require('node:path');

/** The tiers: `fast` (`npm test`, the default) and `e2e` (`npm run test:e2e`). */
const TIERS = ['fast', 'e2e'];
const MARKER = /^\/\/ @tier (\S+)\s*$/;
/** Where test files live: the app's test/ and each workspace package's test/. */
const ROOTS = ['test', 'packages', 'examples'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist']);

/**
 * The tier a test file declares on its first line (`// @tier e2e`), fast without a marker. The tier
 * is a property of the file, so it moves with the file wherever the file goes.
 */
function tierOfText(text, file) {
  const firstLine = text.split('\n', 1)[0];
  const marker = MARKER.exec(firstLine);
  if (marker === null) {
    if (firstLine.includes('@tier'))
      throw new Error(`${file}: write the tier marker as "// @tier e2e", alone on the first line`);
    return 'fast';
  }
  if (!TIERS.includes(marker[1]))
    throw new Error(`${file}: unknown tier "${marker[1]}" (the tiers: ${TIERS.join(', ')})`);
  return marker[1];
}

function testFilesUnder(folder) {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : testFilesUnder(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Every test file under `rootDir`'s roots (absolute paths), grouped by tier. */
function testFilesByTier(rootDir) {
  const byTier = Object.fromEntries(TIERS.map((tier) => [tier, []]));
  for (const root of ROOTS.map((name) => path.join(rootDir, name))) {
    if (!fs.existsSync(root)) continue;
    for (const file of testFilesUnder(root))
      byTier[tierOfText(fs.readFileSync(file, 'utf8'), file)].push(file);
  }
  return byTier;
}

module.exports = { TIERS, ROOTS, tierOfText, testFilesByTier };
