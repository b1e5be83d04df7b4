/*
 * The one rounding rule of every derived figure: half away from zero, on the
 * exact decimal value. Binary floats cannot hold 1.025 (82 / 80), so rounding
 * `value * 100` in floats answers 1.02; here a ratio is rounded in integer
 * arithmetic on its numerator and denominator, and a number is rounded as the
 * decimal it reads as (its shortest round-trip text).
 */

const TEN = 10n;

/**
 * `numerator / denominator` rounded half away from zero to `decimals` places,
 * computed exactly (integers of any size); 0 when the denominator is 0.
 */
export function roundRatio(numerator: number | bigint, denominator: number | bigint, decimals: number): number {
  const [nn, nd] = exact(numerator);
  const [dn, dd] = exact(denominator);
  let n = nn * dd;
  let d = dn * nd;
  if (d === 0n) return 0;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const negative = n < 0n;
  const scaled = (negative ? -n : n) * TEN ** BigInt(decimals);
  let q = scaled / d;
  if ((scaled % d) * 2n >= d) q += 1n;
  if (q === 0n) return 0;
  // A whole number over a power of ten, divided once: the double nearest to that decimal.
  const magnitude = Number(q) / 10 ** decimals;
  return negative ? -magnitude : magnitude;
}

/** A finite number as the exact decimal it reads as: `[numerator, denominator]`, the denominator a power of ten. */
export function decimalRatio(value: number): [bigint, bigint] {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new RangeError(`${value} is not a finite number`);
  const fraction = match[3] ?? '';
  const exponent = Number(match[4] ?? 0) - fraction.length;
  let numerator = BigInt(match[2]! + fraction);
  if (match[1]) numerator = -numerator;
  return exponent >= 0 ? [numerator * TEN ** BigInt(exponent), 1n] : [numerator, TEN ** BigInt(-exponent)];
}

const exact = (value: number | bigint): [bigint, bigint] =>
  typeof value === 'bigint' ? [value, 1n] : Number.isInteger(value) ? [BigInt(value), 1n] : decimalRatio(value);

/** A number rounded half away from zero to `decimals` places, as the decimal it reads as: 1.025 → 1.03. */
export function round(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return value;
  const [n, d] = decimalRatio(value);
  return roundRatio(n, d, decimals);
}
