import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './support/chromium.ts';

// Browser scenarios, one a file, in real Chromium against the built collector
// (`npm run build` first; `npm test` does it).

const PERSON_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../test-results',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never', outputFolder: '../playwright-report' }]],
  use: {
    browserName: 'chromium',
    // Headless Chromium calls itself "HeadlessChrome", which the collector rightly drops as a bot; the
    // scenarios play a person's browser. Set at launch, the User-Agent holds for beacons sent as a page
    // unloads too. (bot-not-counted.spec.ts launches the headless one as it is, on purpose.)
    launchOptions: { executablePath: findChromium(), args: [...CHROMIUM_ARGS, `--user-agent=${PERSON_USER_AGENT}`] },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
