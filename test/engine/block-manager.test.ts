// The block store's eviction order under quiver.memory.limit, driven directly: tasks pin a block,
// read it, unpin it. Expected counts come from the access pattern: a cyclic scan of N blocks with
// room for C must read back about N - C per pass (what fits stays resident), not N (pure LRU).
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockManager } from '../../src/engine/block-manager.js';

const BLOCK = 1000;
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function store(blocksThatFit: number): BlockManager {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-blocks-'));
  dirs.push(dir);
  return new BlockManager(blocksThatFit * BLOCK, join(dir, 'spill'), () => undefined);
}

/** Puts `count` blocks named `${name}0..`; each holds its index so read-backs can be checked. */
function putBlocks(m: BlockManager, name: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const sab = new SharedArrayBuffer(BLOCK);
    new Uint8Array(sab).fill(i % 251);
    m.put(`${name}${i}`, sab, 'spill');
    return `${name}${i}`;
  });
}

/** One pass: each block pinned by a task, read, released, in order; `concurrent` tasks at a time. */
function pass(m: BlockManager, ids: string[], concurrent = 1): void {
  for (let i = 0; i < ids.length; i += concurrent) {
    const batch = ids.slice(i, i + concurrent);
    for (const id of batch) m.pin(id);
    for (const id of batch) {
      const bytes = new Uint8Array(m.buffer(id));
      expect(bytes[0]).toBe(Number(id.replace(/\D/g, '')) % 251); // the right bytes came back
    }
    for (const id of batch) m.unpin(id);
  }
}

const readBackBlocks = (m: BlockManager, f: () => void): number => {
  const before = m.stats.readBackBytes;
  f();
  return (m.stats.readBackBytes - before) / BLOCK;
};

describe('eviction under a memory limit', () => {
  it.each([1, 2])('a cyclic scan keeps what fits resident across passes (%i task(s) at a time)', (concurrent) => {
    const n = 16, fits = 8;
    const m = store(fits);
    const ids = putBlocks(m, 'b', n);
    pass(m, ids, concurrent); // warm-up: the first pass after materialising settles which blocks stay
    for (let p = 0; p < 5; p++) {
      const read = readBackBlocks(m, () => pass(m, ids, concurrent));
      // N - C blocks must come back (blocks streaming through for running tasks are over the limit, not in place of a resident one).
      expect(read).toBe(n - fits);
    }
    expect(m.memoryBytes).toBeLessThanOrEqual(fits * BLOCK);
    // While tasks ran, memory passed the limit by at most the blocks they read back.
    expect(m.stats.peakMemoryBytes).toBeLessThanOrEqual((fits + concurrent) * BLOCK);
  });

  it('two frames scanned in turn: what fits of their union stays resident', () => {
    const m = store(8);
    const a = putBlocks(m, 'a', 4);
    const b = putBlocks(m, 'b', 20);
    pass(m, a); pass(m, b);
    for (let p = 0; p < 4; p++) {
      // LRU reads all 24 back every round; room for 8 means 16 must come back.
      const read = readBackBlocks(m, () => { pass(m, a); pass(m, b); });
      expect(read).toBe(24 - 8);
    }
  });

  it('follows a change of working set: a frame that fits becomes resident once the old one goes stale', () => {
    const m = store(8);
    const old = putBlocks(m, 'o', 8);
    const next = putBlocks(m, 'n', 6); // spills most of `old`
    for (let p = 0; p < 3; p++) pass(m, old); // `old` is the working set, resident
    expect(readBackBlocks(m, () => pass(m, old))).toBe(0);
    // Now only `next` is scanned, which was spilled: after at most a couple of passes it is all in memory.
    for (let p = 0; p < 3; p++) pass(m, next);
    expect(readBackBlocks(m, () => pass(m, next))).toBe(0);
  });
});
