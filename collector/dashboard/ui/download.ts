/** Saves text as a file the browser downloads, without a round trip: the request already carried the API key. */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `footfall-shop-page-2026-11-01_2026-11-30.csv`: safe on every file system. */
export function csvFilename(site: string, what: string, range: { from: string; to: string } | null): string {
  const span = range ? `-${range.from}_${range.to}` : '';
  return `footfall-${site}-${what}${span}.csv`.replace(/[^A-Za-z0-9._-]+/g, '_');
}
