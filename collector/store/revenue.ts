/*
 * Revenue amounts, and how their sums stay exact.
 *
 * An amount arrives as a JSON number, a double, which holds every decimal of
 * up to 15 significant digits exactly, and no more. Amounts are therefore
 * bounded to at most 1,000,000,000 in either sign with at most 6 decimals (9 +
 * 6 digits): each is then an exact whole number of millionths of its currency
 * ("micros", at most 10^15 in size), which rollups store and every sum adds.
 * A refund is a negative amount; sums are net.
 *
 * Sums of micros are not bounded by anything but the number of events, so no
 * fixed width holds them all: the collector adds them as BigInt, and SQL sums
 * them in two parts (micros / 10^9 and micros % 10^9, each far from 64 bits
 * however many events there are) that BigInt puts together. A sum is answered
 * as the JSON number nearest to its exact decimal: exact to the micro while it
 * stays under 10^9, to the cent under 10^13.
 */

/** The bound of an event's revenue amount, in either sign, and its most decimals. */
export const REVENUE_LIMITS = { maxAmount: 1_000_000_000, decimals: 6 } as const;

const MICROS_PER_UNIT = 1_000_000;

/** An amount within the bound, as whole millionths; null beyond it (only rows stored before the bound can be). */
export function revenueMicros(amount: number): number | null {
  if (!(Math.abs(amount) <= REVENUE_LIMITS.maxAmount)) return null;
  return Math.round(amount * MICROS_PER_UNIT);
}

/**
 * An amount of at most 6 decimals as the number that holds them exactly, or
 * null when it has more. Arithmetic in binary floating point leaves noise far
 * below a millionth (0.1 + 0.2 is 0.30000000000000004, 0.07 × 100 is
 * 7.000000000000001): an amount within 10^-14 of itself of a whole number of
 * millionths is that number.
 */
export function revenueAmount(amount: number): number | null {
  const exact = Math.round(amount * MICROS_PER_UNIT) / MICROS_PER_UNIT;
  return Math.abs(exact - amount) <= Math.abs(amount) * 1e-14 ? exact : null;
}

/** A sum of micros as the JSON number nearest to its exact decimal amount. */
export function amountOfMicros(micros: bigint): number {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const units = BigInt(MICROS_PER_UNIT);
  return Number(`${negative ? '-' : ''}${abs / units}.${String(abs % units).padStart(6, '0')}`);
}
