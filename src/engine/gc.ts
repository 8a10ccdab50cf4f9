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

/** Collects once enough shared memory has been let go since the last collection. */
export class GarbageBudget {
  private pending = 0;
  constructor(private readonly threshold: number) {}
  add(bytes: number): void {
    this.pending += bytes;
    if (this.pending >= this.threshold) { this.pending = 0; collectGarbage(); }
  }
}
