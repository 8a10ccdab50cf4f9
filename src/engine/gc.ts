// Forced garbage collection, used after blocks are evicted. A SharedArrayBuffer is freed only when
// every thread has collected its last view of it, and threads that allocate little (executors
// mostly read shared memory) may not collect for a long time on their own.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gcFunction: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (gcFunction === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gcFunction = runInNewContext('gc') as () => void;
    } catch {
      gcFunction = null; // not available: memory is reclaimed whenever V8 decides
    }
  }
  gcFunction?.();
}

/**
 * Collects once enough shared memory has been let go since the last collection: `threshold`
 * bytes, or two of the largest pieces let go at once if that is more. A forced collection costs
 * about the same whatever it frees (20 ms on an executor thread), so with large blocks (a spilled
 * 24 MB partition per eviction) collecting after every one would spend more time collecting than
 * scanning; garbage stays bounded by two blocks' worth.
 */
export class GarbageBudget {
  private pending = 0;
  private largest = 0;
  constructor(private readonly threshold: number) {}
  add(bytes: number): void {
    this.pending += bytes;
    this.largest = Math.max(this.largest, bytes);
    if (this.pending >= Math.max(this.threshold, 2 * this.largest)) { this.pending = 0; collectGarbage(); }
  }
}
