// @ts-check
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
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

/**
 * The workspace packages are libraries with their own API: code under packages/<name>/ imports its
 * own files, other packages by name (@monitored/<name>, declared in its package.json), Node's
 * built-ins and the npm dependencies its package.json declares. Never the app (main.ts, stacks/,
 * lambda/, website/, canaries/, contract/, local/, scripts/, bundling/, tools/, test/) and never
 * another package's files by path.
 */
const PACKAGES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'packages');
const packageBoundaries = {
  rules: {
    'no-import-outside-package': {
      meta: {
        type: 'problem',
        messages: {
          outside:
            '{{source}} reaches outside the package {{name}} ({{target}}): a package imports only its own files, other packages by name, and the dependencies its package.json declares.',
          undeclared:
            '{{source}} is not a dependency of {{name}}: declare it in packages/{{folder}}/package.json (dependencies or peerDependencies) or do not import it.',
        },
      },
      create(context) {
        const file = context.filename;
        const relative = path.relative(PACKAGES_DIR, file);
        if (relative.startsWith('..') || path.isAbsolute(relative)) return {};
        const folder = relative.split(path.sep)[0];
        const root = path.join(PACKAGES_DIR, folder);
        const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
        const declared = new Set([
          ...Object.keys(manifest.dependencies ?? {}),
          ...Object.keys(manifest.peerDependencies ?? {}),
          ...Object.keys(manifest.devDependencies ?? {}),
        ]);
        const check = (node, source) => {
          if (typeof source !== 'string') return;
          if (source.startsWith('.')) {
            const target = path.resolve(path.dirname(file), source);
            if (target !== root && !target.startsWith(root + path.sep)) {
              context.report({
                node,
                messageId: 'outside',
                data: {
                  source,
                  name: manifest.name,
                  target: path.relative(path.dirname(PACKAGES_DIR), target),
                },
              });
            }
            return;
          }
          if (source.startsWith('node:') || builtinModules.includes(source.split('/')[0])) return;
          const name = source.startsWith('@')
            ? source.split('/').slice(0, 2).join('/')
            : source.split('/')[0];
          if (name === manifest.name) return;
          if (!declared.has(name)) {
            context.report({
              node,
              messageId: 'undeclared',
              data: { source, name: manifest.name, folder },
            });
          }
        };
        return {
          ImportDeclaration: (node) => check(node, node.source.value),
          ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
          ExportAllDeclaration: (node) => check(node, node.source.value),
          ImportExpression: (node) =>
            node.source.type === 'Literal' && check(node, node.source.value),
          CallExpression: (node) => {
            const callee = node.callee;
            const named =
              (callee.type === 'Identifier' && callee.name === 'require') ||
              (callee.type === 'MemberExpression' &&
                callee.object.type === 'Identifier' &&
                callee.object.name === 'jest' &&
                callee.property.type === 'Identifier' &&
                ['mock', 'requireActual', 'doMock'].includes(callee.property.name));
            const [first] = node.arguments;
            if (named && first?.type === 'Literal') check(node, first.value);
          },
        };
      },
    },
  },
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
      'packages/*/dist/',
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
  {
    files: ['packages/**/*.ts'],
    plugins: { packages: packageBoundaries },
    rules: { 'packages/no-import-outside-package': 'error' },
  },
);
