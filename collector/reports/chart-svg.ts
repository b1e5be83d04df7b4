/** Text safe inside HTML. */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/**
 * A small line chart of daily values as inline SVG: mail clients that show
 * SVG draw it, the others show the text beside it; no image to host or attach.
 */
export function chartSvg(points: readonly { label: string; value: number }[], width = 560, height = 140): string {
  if (points.length === 0) return '';
  const max = Math.max(1, ...points.map((p) => p.value));
  const step = points.length > 1 ? width / (points.length - 1) : 0;
  const xy = points.map((p, i) => `${(i * step).toFixed(1)},${(height - 10 - (p.value / max) * (height - 20)).toFixed(1)}`);
  const first = points[0]!.label;
  const last = points.at(-1)!.label;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 16}" viewBox="0 0 ${width} ${height + 16}" role="img" aria-label="Visitors per day, ${escapeHtml(first)} to ${escapeHtml(last)}, at most ${max}">
<polyline fill="none" stroke="#2563eb" stroke-width="2" points="${xy.join(' ')}"/>
<text x="0" y="${height + 14}" font-size="11" fill="#6b7280">${escapeHtml(first)}</text>
<text x="${width}" y="${height + 14}" font-size="11" fill="#6b7280" text-anchor="end">${escapeHtml(last)}</text>
</svg>`;
}
