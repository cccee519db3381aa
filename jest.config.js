const { ROOTS, testFilesByTier } = require('./test/support/tiers.cjs');

/**
 * Two tiers of tests, each file naming its own (test/support/tiers.cjs):
 * - fast (`npm test`), files without a marker: no process, browser or JVM is started, and
 *   test/support/no-processes.ts makes starting one fail the test that tries.
 * - e2e (`npm run test:e2e`), files whose first line is `// @tier e2e`: DynamoDB Local (started
 *   once for the run by the global setup), Chromium, `npm start`, Terraform, the AWS CLI, builds.
 * `npm run test:all` runs both projects in one run.
 */
const { e2e } = testFilesByTier(__dirname);
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactly = (file) => `^${escape(file)}$`;

const shared = {
  // Node's, with a memo per worker for what every file would otherwise build again (a synth).
  testEnvironment: '<rootDir>/test/support/worker-environment.ts',
  roots: ROOTS.map((root) => `<rootDir>/${root}`),
  // The workspace packages from source, as tsconfig.json's paths map them for tsc, tsx and esbuild.
  moduleNameMapper: {
    '^@monitored/([^/]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^@monitored/terraform-policy/cdktf$': '<rootDir>/packages/terraform-policy/src/cdktf.ts',
  },
  transform: {
    // Type checking runs once in `npm run lint` (tsc --noEmit); tests only transpile.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'fast',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...e2e.map(exactly)],
      setupFilesAfterEnv: ['<rootDir>/test/support/no-processes.ts'],
      // The app's bundles and the monitor's page, built (or found current) before any test file.
      globalSetup: '<rootDir>/test/support/fast-setup.ts',
    },
    {
      ...shared,
      displayName: 'e2e',
      // No e2e file at all must select nothing, not everything.
      testRegex: e2e.length > 0 ? e2e.map(exactly) : ['^$'],
      // One in-memory DynamoDB Local for the whole e2e run; each test file uses tables of its own.
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  testTimeout: 60_000,
  maxWorkers: 2,
};
