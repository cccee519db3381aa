/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/packages', '<rootDir>/examples'],
  // The workspace packages from source, as tsconfig.json's paths map them for tsc, tsx and esbuild.
  moduleNameMapper: {
    '^@monitored/([^/]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^@monitored/terraform-policy/cdktf$': '<rootDir>/packages/terraform-policy/src/cdktf.ts',
  },
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type checking runs once in `npm run lint` (tsc --noEmit); tests only transpile.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
