// Kernels behind DataFrame actions: each runs on one partition inside an executor.
import { registerKernel } from '../engine/kernels.js';
import { batchToShared } from '../engine/blocks.js';
import { sliceRows } from './batch.js';
import { schemaOf } from './plan.js';
import './plan.js';

export const COUNT = registerKernel('df.count', (batch) => batch.numRows);

/** The partition itself as a shared block: used by collect, toArrow and cache materialisation. */
export const MATERIALIZE = registerKernel('df.materialize', (batch) => ({ buffer: batchToShared(batch), rows: batch.numRows }));

export const TAKE = registerKernel<{ n: number }, { buffer: SharedArrayBuffer; rows: number }>('df.take', (batch, { n }) => {
  const head = batch.numRows <= n ? batch : sliceRows(schemaOf(batch), batch, 0, n);
  return { buffer: batchToShared(head), rows: head.numRows };
});
