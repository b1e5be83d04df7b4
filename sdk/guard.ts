// Helpers that keep the tracker from ever throwing into the host page.

/** Wraps a listener, callback or API call so that nothing it throws reaches the page. */
export function safe<A extends unknown[]>(fn: (...args: A) => unknown): (...args: A) => void {
  return (...args) => {
    try {
      fn(...args);
    } catch {
      // The page must never pay for a tracker error.
    }
  };
}

/**
 * Reads a localStorage item, or sets it (removes it when `value` is empty).
 * Storage may be forbidden (a sandboxed frame, blocked cookies) or full: then
 * nothing is read or kept, and nothing throws.
 */
export function storage(key: string, value?: string): string | undefined {
  try {
    return value == null ? localStorage[key] : value ? (localStorage[key] = value) : void delete localStorage[key];
  } catch {
    return undefined;
  }
}
