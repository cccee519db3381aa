// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * @cloud-copilot/iam-simulate, iam-policy and iam-utils are AGPL-3.0: the tests judge IAM with
 * them, and nothing that ships may import them (iam-data, MIT, is only ever read with them).
 */
const AGPL_ENGINE = {
  group: ['@cloud-copilot/*'],
  message:
    'The IAM engine (AGPL-3.0) is for tests only: import it under test/, never in shipped code.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'cdktf.out/',
      '.build/',
      '.local/',
      'coverage/',
      'bench-results/',
      '*.js',
      '**/*.cjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@cdktf/provider-aws',
              message:
                'Import deeply (@cdktf/provider-aws/lib/<resource>): the root loads 2,212 modules.',
            },
          ],
          patterns: [AGPL_ENGINE],
        },
      ],
    },
  },
  {
    // The IAM engine may be imported by tests (and nothing else): it is AGPL-3.0, a devDependency.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@cdktf/provider-aws',
              message:
                'Import deeply (@cdktf/provider-aws/lib/<resource>): the root loads 2,212 modules.',
            },
          ],
        },
      ],
    },
  },
  {
    // Runtime code never depends on the infrastructure code.
    files: ['lambda/**/*.ts', 'website/**/*.ts', 'canaries/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/stacks/**', '**/stacks'],
              message: 'Runtime code imports contract/, never stacks/.',
            },
            AGPL_ENGINE,
          ],
        },
      ],
    },
  },
);
