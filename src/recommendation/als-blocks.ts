// The blocked layout of ALS (Spark's InBlock/OutBlock), in shared memory. Users and items are each
// split into blocks by id mod numBlocks. A block of one side holds its entities' ratings as CSR
// rows that point into its inbox: the factors of the other side's entities it needs, which the
// other side's blocks copy in ("ship") after every solve. Block b's out[ob] lists the entities
// block ob of the other side needs from it, and outBase[ob] where they go in ob's inbox.
export interface SideBlock {
  /** Sorted distinct ids of the block's entities. */
  ids: Int32Array;
  /** CSR over entities: ratings of entity j are ptrs[j]..ptrs[j+1]. */
  ptrs: Int32Array;
  /** For each rating, the row of the inbox holding the other entity's factors. */
  src: Int32Array;
  ratings: Float64Array;
  /** ids.length × rank. */
  factors: Float64Array;
  /** Rows of other-side factors, from other block ob at rows inBase[ob]..inBase[ob+1]. */
  inbox: Float64Array;
  inBase: Int32Array;
  /** For each other block ob: local indices of the entities it needs (its inbox order). */
  out: Int32Array[];
  /** For each other block ob: the row of ob's inbox where this block's message starts. */
  outBase: Int32Array;
}

export type Side = 'user' | 'item';

export interface BlockState { user: SideBlock[]; item: SideBlock[]; rank: number }

export const otherSide = (side: Side): Side => (side === 'user' ? 'item' : 'user');

/** Spark's ALSPartitioner: a HashPartitioner on Int ids, i.e. the non-negative id mod n. */
export function blockOf(id: number, numBlocks: number): number {
  const r = id % numBlocks;
  return r < 0 ? r + numBlocks : r;
}

export function sharedInt32(n: number): Int32Array { return new Int32Array(new SharedArrayBuffer(4 * Math.max(n, 0))); }
export function sharedFloat64(n: number): Float64Array { return new Float64Array(new SharedArrayBuffer(8 * Math.max(n, 0))); }

/** Index of `value` in the sorted `sorted[from..to)`, or -1. */
export function binarySearch(sorted: Int32Array, value: number, from = 0, to = sorted.length): number {
  let lo = from, hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid];
    if (v < value) lo = mid + 1;
    else if (v > value) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/**
 * Distinct int32 ids mapped to dense indices, by open addressing (Fibonacci hashing). Built once
 * per block: `add` every id, then `relabelSorted` makes each id's index its rank in sorted order.
 */
export class IdIndex {
  #keys: Int32Array;
  #values: Int32Array;
  #used: Uint8Array;
  #shift: number;
  #mask: number;
  #ids: Int32Array;
  size = 0;

  constructor(expected: number) {
    let bits = 4;
    while (1 << bits < 2 * expected + 2) bits++;
    const cap = 1 << bits;
    this.#keys = new Int32Array(cap);
    this.#values = new Int32Array(cap);
    this.#used = new Uint8Array(cap);
    this.#shift = 32 - bits;
    this.#mask = cap - 1;
    this.#ids = new Int32Array(Math.max(expected, 4));
  }

  #slot(id: number): number {
    let s = Math.imul(id, 0x9e3779b1) >>> this.#shift;
    while (this.#used[s] && this.#keys[s] !== id) s = (s + 1) & this.#mask;
    return s;
  }

  add(id: number): void {
    const s = this.#slot(id);
    if (this.#used[s]) return;
    if (2 * (this.size + 1) > this.#keys.length) { this.#grow(); this.add(id); return; }
    this.#used[s] = 1;
    this.#keys[s] = id;
    this.#values[s] = this.size;
    if (this.size === this.#ids.length) { const bigger = new Int32Array(2 * this.size); bigger.set(this.#ids); this.#ids = bigger; }
    this.#ids[this.size++] = id;
  }

  /** The index of id, or -1. */
  get(id: number): number {
    const s = this.#slot(id);
    return this.#used[s] ? this.#values[s] : -1;
  }

  /** Sorts the distinct ids, makes each one's index its rank, and returns them. */
  relabelSorted(): Int32Array {
    const sorted = this.#ids.slice(0, this.size).sort();
    for (let r = 0; r < sorted.length; r++) this.#values[this.#slot(sorted[r])] = r;
    return sorted;
  }

  #grow(): void {
    const ids = this.#ids.slice(0, this.size);
    const bigger = new IdIndex(2 * this.size + 2);
    for (const id of ids) bigger.add(id);
    this.#keys = bigger.#keys; this.#values = bigger.#values; this.#used = bigger.#used;
    this.#shift = bigger.#shift; this.#mask = bigger.#mask; this.#ids = bigger.#ids;
  }
}
