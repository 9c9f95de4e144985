// One lint configuration for the whole workspace; each package runs `eslint src` (and `test`,
// where its harness lives) against it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/generated/**', '**/node_modules/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // One job kit: queues and workers come from @neurosphere/jobs (createQueue, createWorker), and a
    // permanent failure is its PermanentJobError.
    files: ['**/*.ts'],
    ignores: ['packages/jobs/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'bullmq',
              importNames: ['Queue', 'Worker', 'UnrecoverableError'],
              allowTypeImports: true,
              message: 'Use createQueue/createWorker/PermanentJobError from @neurosphere/jobs.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests, command-line tools and benchmarks print to the terminal by design.
    files: ['**/*.test.ts', '**/cli/**', '**/scripts/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
);
