import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code as *.test.ts; browser scenarios (e2e/*.spec.ts) run under Playwright.
export default defineConfig({
  test: {
    include: ['sdk/**/*.test.ts', 'collector/**/*.test.ts', 'demo-site/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
