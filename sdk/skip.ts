import { options } from './settings.ts';

/** The visitor's own switch: `"true"` never counts this browser; `"false"` counts it even when automated. */
export const IGNORE_KEY = 'footfall_ignore';

/**
 * Why this browser is not counted right now, or nothing when it is: the one
 * place every skip is decided, so that the debug log can name the reason. Each
 * reason is the name of what decided: the `footfall_ignore` switch,
 * `doNotTrack` (or Global Privacy Control), `localhost`, `webdriver`.
 * `ignore` is the visitor's switch as stored, read by the caller.
 */
export const skipReason = (ignore: string | undefined): string | false | undefined =>
  ignore == 'true'
    ? IGNORE_KEY
    : options!.respectDnt &&
        ((navigator.doNotTrack as unknown as number) > 0 ||
          (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl)
      ? 'doNotTrack'
      : !options!.includeLocalhost && /^(localhost|127\.|\[::1]|$)/.test(location.hostname)
        ? 'localhost'
        : ignore != 'false' && navigator.webdriver && 'webdriver';
