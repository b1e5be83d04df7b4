import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Flags Chromium needs here: root in a container, no GPU, and no calls home on a closed network. */
export const HEADLESS_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The same, playing a person's browser: headless Chromium calls itself
 * "HeadlessChrome", which the collector rightly drops as a bot. Set at launch,
 * the User-Agent holds for beacons sent as a page unloads too.
 */
export const CHROMIUM_ARGS = [
  ...HEADLESS_CHROMIUM_ARGS,
  '--user-agent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
];

const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * The browser the end-to-end tests drive, found without help:
 * 1. `FOOTFALL_CHROMIUM` (or `CHROMIUM_PATH`), when set;
 * 2. a system Chromium (Debian's `chromium` package);
 * 3. as root on Debian or Ubuntu, Debian's Chromium installed with apt-get;
 * 4. otherwise undefined: Playwright's own build (`npx playwright install chromium`).
 */
export function findChromium(): string | undefined {
  const fromEnv = process.env.FOOTFALL_CHROMIUM || process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`FOOTFALL_CHROMIUM: no browser at ${fromEnv}`);
    return fromEnv;
  }
  const system = SYSTEM_BROWSERS.find((path) => existsSync(path));
  if (system) return system;

  if (process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    process.stderr.write('No Chromium found: installing Debian\'s "chromium" package with apt-get…\n');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env });
    return SYSTEM_BROWSERS.find((path) => existsSync(path));
  }
  return undefined;
}
