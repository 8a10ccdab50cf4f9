// The driver's store of shared-memory blocks (cached partitions, shuffle pieces, source data),
// bounded by quiver.memory.limit. Over the limit, blocks that no running task holds are spilled to
// Arrow IPC files (blocks that may spill) or dropped (MEMORY_ONLY cache blocks, recomputed from
// lineage when next needed). Spilled blocks are read back on demand.
//
// Which blocks go first is not pure LRU. Iterative algorithms scan the same partitions in the same
// order pass after pass; when they do not all fit, LRU evicts exactly the block the next pass reads
// first, so every access of every pass misses (a 10-iteration K-Means on 390 MB under a 195 MB
// limit read 3.8 GB back). Instead, eviction takes, in LRU order within each class:
//   1. stale blocks: not accessed during the last `blocks.size` accesses. A block in any cyclic scan
//      of the store is re-accessed within that many, so a stale one belongs to a working set that
//      is no longer scanned, and goes first (the store follows a change of working set);
//   2. blocks read back from disk and not accessed again since: they are streaming through, and
//      evicting them keeps the rest resident (like a database's ring buffer for large scans);
//   3. the others, blocks that stayed in memory: the part of a scan that fits stays resident
//      across passes, so a pass over N blocks with room for C reads back N - C, not N.
// A read-back block accessed again while still in memory joins class 3.
import { closeSync, mkdirSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What may happen to a block under memory pressure. */
export type BlockPolicy = 'spill' | 'drop' | 'disk';

interface Entry {
  buffer: SharedArrayBuffer | null; // null while only on disk
  bytes: number;
  policy: BlockPolicy;
  file: string | null;
  pins: number;
  /** Jobs that read this block; a release waits until they are done. */
  retains: number;
  releaseRequested: boolean;
  /** The access counter when last accessed (put, pin, read). */
  lastUsed: number;
  /** Read back from disk and not accessed since (eviction class 2). */
  streaming: boolean;
}

export class BlockManager {
  private readonly blocks = new Map<string, Entry>();
  private inMemory = 0;
  private clock = 0;
  private dirReady = false;
  /** Bytes written to and read from spill files (for tests and monitoring). */
  readonly stats = { spilledBytes: 0, readBackBytes: 0, dropped: 0, peakMemoryBytes: 0 };

  constructor(private readonly limit: number, private readonly dir: string, private readonly onEvict: (ids: string[], bytes: number) => void) {}

  get memoryBytes(): number { return this.inMemory; }
  get limitBytes(): number { return this.limit; }

  put(id: string, buffer: SharedArrayBuffer, policy: BlockPolicy): void {
    const e: Entry = { buffer, bytes: buffer.byteLength, policy, file: null, pins: 0, retains: 0, releaseRequested: false, lastUsed: ++this.clock, streaming: false };
    this.blocks.set(id, e);
    this.inMemory += e.bytes;
    if (policy === 'disk') this.writeFile(id, e); // DISK_ONLY: on disk from the start; memory is only a transient copy
    this.enforce();
  }

  has(id: string): boolean { return this.blocks.has(id); }
  bytesOf(id: string): number { return this.blocks.get(id)?.bytes ?? 0; }
  get totalBytes(): number { let t = 0; for (const e of this.blocks.values()) t += e.bytes; return t; }

  /** The block's bytes, read back from disk if spilled; throws when it was dropped or released. */
  buffer(id: string): SharedArrayBuffer {
    const e = this.blocks.get(id);
    if (!e) throw new Error(`Block ${id} is no longer available (unpersisted, released or dropped under memory pressure)`);
    // Part of the access that pinned it (a task's): the same tick, so staleness counts accesses.
    e.lastUsed = Math.max(e.lastUsed, this.clock);
    if (!e.buffer) {
      e.buffer = readFileShared(e.file!, e.bytes);
      e.streaming = true;
      this.stats.readBackBytes += e.bytes;
      this.inMemory += e.bytes;
      e.pins++; // keep it while making room for it
      this.enforce();
      e.pins--;
    }
    return e.buffer;
  }

  /** Holds a block for a running task: one access. */
  pin(id: string): void {
    const e = this.blocks.get(id);
    if (!e) return;
    e.pins++;
    e.lastUsed = ++this.clock;
    if (e.buffer) e.streaming = false; // accessed again while in memory: no longer streaming through
  }
  unpin(id: string): void { const e = this.blocks.get(id); if (e && e.pins > 0) e.pins--; if (e) this.enforce(); }

  /** Marks blocks as read by a running job: releasing them waits until `unretain`. */
  retain(ids: Iterable<string>): void { for (const id of ids) { const e = this.blocks.get(id); if (e) e.retains++; } }

  unretain(ids: Iterable<string>): void {
    const gone: string[] = [];
    for (const id of ids) {
      const e = this.blocks.get(id);
      if (!e || e.retains === 0) continue;
      if (--e.retains === 0 && e.releaseRequested) { this.remove(id, e); gone.push(id); }
    }
    if (gone.length) this.onEvict(gone, 0);
  }

  /** Deletes blocks (or defers it while a job still reads them); returns the ids deleted now. */
  release(ids: string[]): string[] {
    const gone: string[] = [];
    for (const id of ids) {
      const e = this.blocks.get(id);
      if (!e) continue;
      if (e.retains > 0) { e.releaseRequested = true; continue; }
      this.remove(id, e);
      gone.push(id);
    }
    return gone;
  }

  private remove(id: string, e: Entry): void {
    if (e.buffer) this.inMemory -= e.bytes;
    if (e.file) rmSync(e.file, { force: true });
    this.blocks.delete(id);
  }

  /** Deletes every block and the spill directory. */
  clear(): void {
    for (const [id, e] of [...this.blocks]) this.remove(id, e);
    if (this.dirReady) rmSync(this.dir, { recursive: true, force: true });
  }

  private enforce(): void {
    if (this.inMemory <= this.limit) return;
    this.stats.peakMemoryBytes = Math.max(this.stats.peakMemoryBytes, this.inMemory);
    // A block streaming through for a running task does not count until the task lets go of it:
    // making room for it would evict a resident block the next pass needs, only to evict the
    // streaming one right after. So memory may pass the limit by what running tasks read back.
    let streamingPinned = 0;
    for (const e of this.blocks.values()) if (e.buffer && e.streaming && e.pins > 0) streamingPinned += e.bytes;
    const over = () => this.inMemory - streamingPinned > this.limit;
    if (!over()) return;
    const staleBefore = this.clock - this.blocks.size;
    const evictionClass = (e: Entry): number => (e.lastUsed < staleBefore ? 0 : e.streaming ? 1 : 2);
    const victims = [...this.blocks.entries()]
      .filter(([, e]) => e.buffer && e.pins === 0)
      .map(([id, e]) => ({ id, e, order: evictionClass(e) }))
      .sort((a, b) => a.order - b.order || a.e.lastUsed - b.e.lastUsed)
      .map(({ id, e }) => [id, e] as const);
    const evicted: string[] = [];
    let freed = 0;
    for (const [id, e] of victims) {
      if (!over()) break;
      if (e.policy === 'drop') { this.blocks.delete(id); this.stats.dropped++; }
      else if (!e.file) this.writeFile(id, e);
      e.buffer = null;
      this.inMemory -= e.bytes;
      freed += e.bytes;
      evicted.push(id);
    }
    this.stats.peakMemoryBytes = Math.max(this.stats.peakMemoryBytes, this.inMemory);
    // Executors must let go of their views too, or the memory is never freed.
    if (evicted.length) this.onEvict(evicted, freed);
  }

  private writeFile(id: string, e: Entry): void {
    if (!this.dirReady) { mkdirSync(this.dir, { recursive: true }); this.dirReady = true; }
    const file = join(this.dir, `${id}.arrow`);
    writeFileSync(file, new Uint8Array(e.buffer!));
    e.file = file;
    this.stats.spilledBytes += e.bytes;
  }
}

function readFileShared(file: string, bytes: number): SharedArrayBuffer {
  const size = statSync(file).size;
  if (size !== bytes) throw new Error(`Spill file ${file} holds ${size} bytes but the block had ${bytes}; the local directory was modified`);
  const sab = new SharedArrayBuffer(bytes);
  const view = new Uint8Array(sab);
  const fd = openSync(file, 'r');
  try {
    for (let pos = 0; pos < bytes;) pos += readSync(fd, view, pos, bytes - pos, pos);
  } finally {
    closeSync(fd);
  }
  return sab;
}
