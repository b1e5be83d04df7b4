import { isDatabaseUnavailable, type IsolationOps, type SetAside, settleOldest } from './roll-up-isolation.ts';

/*
 * How both stores take the roll-up queue: a chunk of events per transaction,
 * chunk after chunk, with what a chunk cannot count settled apart
 * (roll-up-isolation.ts). Each store's roller runs a chunk its own way.
 */

/** Events per roll-up transaction: large enough to share rollup rows, small enough not to stall requests long. */
export const ROLL_UP_CHUNK = 5_000;

/**
 * The last event id of a queued range that a chunk with `room` events left
 * takes: a long range (a rebuild's, of one site) is taken a slice at a time.
 */
export function sliceEnd(entry: { readonly siteId: string | null; readonly first: number; readonly last: number }, room: number): number {
  return Math.min(entry.last, entry.first + (entry.siteId === null ? room : 4 * ROLL_UP_CHUNK) - 1);
}

/**
 * Runs `rollChunk` until it takes nothing (0) or gives way to another roller
 * (null), letting other work in between chunks. A chunk that fails for a
 * reason of its events has its oldest ranges settled one at a time; what the
 * database throws ends the roll-up, and `failing` says so until a roll-up
 * gets through.
 */
export function chunkedRollUp(isolation: IsolationOps, onSetAside: (aside: SetAside) => void) {
  let failing: string | null = null;
  return {
    failing: () => failing,
    async run(rollChunk: () => Promise<number | null>): Promise<void> {
      try {
        for (;;) {
          let rolled: number | null;
          try {
            rolled = await rollChunk();
          } catch (error) {
            if (isDatabaseUnavailable(error)) throw error;
            // Events it cannot count must not hold up the others: settled one range at a time.
            await settleOldest(isolation, ROLL_UP_CHUNK, onSetAside);
            continue;
          }
          if (!rolled) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
        failing = null;
      } catch (error) {
        failing = error instanceof Error ? error.message : String(error);
        throw error;
      }
    },
  };
}
