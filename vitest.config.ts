import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code as *.test.ts; browser scenarios (e2e/*.spec.ts) run under Playwright.
export default defineConfig({
  // The SDK's unit tests run the compat script's build of the tracker (sdk/variant.ts): with no variant set, it is the script tag's.
  define: { FOOTFALL_COMPAT: 'true' },
  test: {
    include: ['sdk/**/*.test.ts', 'collector/**/*.test.ts', 'demo-site/**/*.test.ts'],
    testTimeout: 20_000,
    // A fresh PostgreSQL schema migrates in each suite's set-up: on a busy machine that passes the default 10 s,
    // and the tear-down then drops the schema under the migration, which fails with a misleading error.
    hookTimeout: 60_000,
  },
});
