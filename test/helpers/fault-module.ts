/**
 * A kernel module that makes executor threads die right after a chosen kernel has run (its side
 * effects on shared memory done, its result not yet posted): the worst moment for a retry. Loaded
 * with `session.addKernelModule(faultModuleUrl({...}))`; it wraps the named kernels in each worker.
 *
 * Which calls die: of the first attempts of tasks on partition `partition`, the ones numbered in
 * `at` (counted from 1 across all executor threads of the session, through a file, since a thread
 * that dies takes its counters with it; a new thread starts from TypeScript in about a second, so
 * killing every call of an iterative fit would take minutes). How: `exit` ends the thread (as a crash would), `oom` allocates
 * until the thread's heap limit kills it (needs `quiver.worker.heapMb`).
 */
import { appendFileSync, statSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

import { getKernel, registerKernel, type TaskContext } from '../../src/engine/kernels.js';

export interface FaultSpec {
  kernels: string[];
  partition?: number;
  /** Which eligible calls die (1 = the first), counted in `counter`. */
  at: number[];
  mode?: 'exit' | 'oom';
  /** A file only this fault module instance appends to (one byte per eligible call). */
  counter: string;
}

export function faultModuleUrl(spec: FaultSpec): string {
  const url = new URL(import.meta.url);
  url.searchParams.set('spec', JSON.stringify(spec));
  return url.href;
}

/** Eligible calls so far, across threads: appends one byte and returns the new size. */
function nextCall(counter: string): number {
  appendFileSync(counter, 'x');
  return statSync(counter).size;
}

function die(mode: 'exit' | 'oom'): never {
  if (mode === 'oom') {
    const hog: number[][] = [];
    for (;;) hog.push(new Array(1 << 20).fill(hog.length));
  }
  process.exit(70);
}

const raw = new URL(import.meta.url).searchParams.get('spec');
// The driver imports kernel modules too (to surface import errors); only executor threads die.
if (raw !== null && !isMainThread) {
  const spec = JSON.parse(raw) as FaultSpec;
  for (const name of spec.kernels) {
    const inner = getKernel(name);
    registerKernel(name, async (batch, params, ctx: TaskContext) => {
      const result = await inner(batch, params, ctx);
      if (ctx.attempt === 0 && ctx.partitionIndex === (spec.partition ?? 0) && spec.at.includes(nextCall(spec.counter))) die(spec.mode ?? 'exit');
      return result;
    });
  }
}
