import { storage } from './guard.ts';
import type { Options } from './options.ts';

/** The visitor's own switch: `"true"` never counts this browser; `"false"` counts it even when automated. */
export const IGNORE_KEY = 'footfall_ignore';

/**
 * Why this browser is not counted right now, or 0 when it is: the one place
 * every skip is decided, so that the debug log can name the reason.
 */
export function skipReason(options: Options): string | 0 {
  const ignore = storage(IGNORE_KEY);
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  return ignore == 'true'
    ? 'opted out'
    : options.respectDnt && (nav.doNotTrack == '1' || nav.globalPrivacyControl)
      ? 'Do Not Track'
      : !options.includeLocalhost && /^(localhost|127\.|\[::1]|$)/.test(location.hostname)
        ? 'localhost'
        : ignore != 'false' && nav.webdriver
          ? 'automated browser'
          : 0;
}
