/**
 * The reference model's rounding, on exact integers: a ratio is rounded half
 * away from zero on its decimal value (82/80 = 1.025 is 1.03), and the answer
 * is the number a JSON reader gets for that decimal.
 */

const TEN = 10n;

/** `numerator / denominator` rounded half away from zero to `decimals` places. */
export function roundRatio(numerator: bigint, denominator: bigint, decimals: number): number {
  if (denominator === 0n) throw new Error('division by zero');
  const negative = numerator < 0n !== denominator < 0n && numerator !== 0n;
  const n = (numerator < 0n ? -numerator : numerator) * TEN ** BigInt(decimals);
  const d = denominator < 0n ? -denominator : denominator;
  const q = (2n * n + d) / (2n * d);
  return Number(`${negative ? '-' : ''}${decimalText(q, decimals)}`);
}

function decimalText(scaled: bigint, decimals: number): string {
  if (decimals === 0) return scaled.toString();
  const text = scaled.toString().padStart(decimals + 1, '0');
  return `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
}

/** Millionths of a decimal amount given as a number with at most six decimals. */
export function toMicros(amount: number): bigint {
  return BigInt(Math.round(amount * 1e6));
}

/** An amount of millionths as the number JSON shows for it. */
export function fromMicros(micros: bigint): number {
  return roundRatio(micros, 1_000_000n, 6);
}

/**
 * Percent change from `before` to `now` (numbers as answered, at most six
 * decimals), one decimal; null when `before` is 0.
 */
export function percentChange(now: number, before: number): number | null {
  const b = toMicros(before);
  if (b === 0n) return null;
  return roundRatio((toMicros(now) - b) * 100n, b, 1);
}

/** Change of a rate from `before` to `now` in percentage points, one decimal; null when the rate had no visits before. */
export function pointsChange(now: number, before: number, hadBefore: boolean): number | null {
  if (!hadBefore) return null;
  return roundRatio(toMicros(now) - toMicros(before), 1_000_000n, 1);
}
