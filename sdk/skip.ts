import { options } from './settings.ts';

/** The visitor's own switch: `"true"` never counts this browser; `"false"` counts it even when automated. */
export const IGNORE_KEY = 'footfall_ignore';

/**
 * Why this browser is not counted right now, or nothing when it is: the one
 * place every skip is decided, so that the debug log can name the reason. Each
 * reason is the name of what decided: the `footfall_ignore` switch,
 * `doNotTrack` (or Global Privacy Control), `localhost`, `webdriver`.
 */
export function skipReason(): string | false | undefined {
  let ignore: string | undefined;
  try {
    ignore = localStorage[IGNORE_KEY];
  } catch {
    // Storage may be forbidden (a sandboxed frame, blocked cookies): no switch was set.
  }
  return ignore == 'true'
    ? IGNORE_KEY
    : options!.respectDnt && (navigator.doNotTrack == '1' || (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl)
      ? 'doNotTrack'
      : !options!.includeLocalhost && /^(localhost|127\.|\[::1]|$)/.test(location.hostname)
        ? 'localhost'
        : ignore != 'false' && navigator.webdriver && 'webdriver';
}
