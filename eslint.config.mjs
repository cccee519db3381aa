// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

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
          ],
        },
      ],
    },
  },
);
