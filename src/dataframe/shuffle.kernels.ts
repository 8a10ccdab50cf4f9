// Map side of shuffles: split one partition into pieces, one per output partition.
import { registerKernel } from '../engine/kernels.js';
import { batchToShared } from '../engine/blocks.js';
import { randomStream } from '../linalg/random.js';
import { takeRows } from './batch.js';
import { schemaOf } from './plan.js';

/**
 * Spark's round-robin repartition: row k of input partition p goes to output (start_p + k) mod n,
 * with start_p drawn from a stream keyed by p, so the layout is the same on every run.
 */
export const ROUND_ROBIN = registerKernel<{ n: number }, (SharedArrayBuffer | null)[]>('df.roundRobin', (batch, { n }, ctx) => {
  const schema = schemaOf(batch);
  const rows = batch.numRows;
  const start = Math.floor(randomStream(0, 'repartition', ctx.partitionIndex)() * n);
  const pieces: (SharedArrayBuffer | null)[] = [];
  for (let j = 0; j < n; j++) {
    const first = (j - start + n) % n;
    const count = first < rows ? Math.ceil((rows - first) / n) : 0;
    if (count === 0) { pieces.push(null); continue; }
    const idx = new Int32Array(count);
    for (let k = 0; k < count; k++) idx[k] = first + k * n;
    pieces.push(batchToShared(takeRows(schema, batch, idx, count)));
  }
  return pieces;
});
