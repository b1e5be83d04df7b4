// Keeps the tracker from ever throwing into the host page.

/** Wraps a listener, callback or API call so that nothing it throws reaches the page. */
export const safe =
  <A extends unknown[]>(fn: (...args: A) => unknown) =>
  (...args: A): void => {
    try {
      fn(...args);
    } catch {
      // The page must never pay for a tracker error.
    }
  };
