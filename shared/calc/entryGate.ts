/**
 * The concurrent-position limit (SPEC 12.2), across the whole portfolio. A strategy holds when
 * its part-A units are above 0; it enters when it holds and did not hold the day before (or on
 * the first date). An entry is blocked when the strategies already holding and not blocked are
 * at the limit; it stays blocked until its part-A units are 0 again.
 */
import { at } from '#shared/collections.ts';

export interface EntryStats {
  requested: number;
  allowed: number;
  blocked: number;
  /** Calendar indexes of the blocked entries. */
  blockedDays: number[];
}

/** The most strategies holding and not blocked on one date, and the first date with that many. */
export interface MaxConcurrent {
  count: number;
  day: number;
}

export function noEntries(): EntryStats {
  return { requested: 0, allowed: 0, blocked: 0, blockedDays: [] };
}

export class EntryGate {
  /** Per strategy, its entries on the dates admitted so far. */
  readonly entries: EntryStats[];
  readonly maxConcurrent: MaxConcurrent = { count: 0, day: 0 };

  private readonly heldBefore: Uint8Array;
  private readonly blocked: Uint8Array;
  private readonly limit: number;

  constructor(count: number, limit: number) {
    this.limit = limit;
    this.entries = Array.from({ length: count }, noEntries);
    this.heldBefore = new Uint8Array(count);
    this.blocked = new Uint8Array(count);
  }

  /** Today's blocked flags, given today's holds (the array is the gate's own: read it before the next date). */
  admit(day: number, holds: Uint8Array): Uint8Array {
    for (let s = 0; s < holds.length; s += 1) if (holds[s] !== 1) this.blocked[s] = 0;
    let holding = 0;
    for (let s = 0; s < holds.length; s += 1) if (holds[s] === 1 && this.heldBefore[s] === 1 && this.blocked[s] === 0) holding += 1;
    for (let s = 0; s < holds.length; s += 1) {
      if (holds[s] !== 1 || (day > 0 && this.heldBefore[s] === 1)) continue;
      const entries = at(this.entries, s);
      entries.requested += 1;
      if (holding >= this.limit) {
        this.blocked[s] = 1;
        entries.blocked += 1;
        entries.blockedDays.push(day);
      } else {
        entries.allowed += 1;
        holding += 1;
      }
    }
    if (holding > this.maxConcurrent.count) {
      this.maxConcurrent.count = holding;
      this.maxConcurrent.day = day;
    }
    this.heldBefore.set(holds);
    return this.blocked;
  }
}
