// OneHotEncoder's kernels: the largest index per column (fitting without size metadata) and the
// column mapper from indices to one-hot sparse vectors (OneHotEncoderModel.encoder).
import { registerAggregator } from '../engine/kernels.js';
import { sparseVectorData } from '../dataframe/batch.js';
import { registerMapper } from '../dataframe/mappers.js';
import { formatDouble } from '../linalg/format.js';
import { columnByName, doubleColumn } from './columns.js';
import type { ColumnKind } from './shared.js';

export interface EncoderColumn { name: string; kind: ColumnKind }

const INT_MAX = 2147483647;

/** Max index per column (acc starts at 0, as Spark's); every value must be a non-negative integer. */
export const MAX_INDEX = registerAggregator<Float64Array, { columns: EncoderColumn[] }>('feature.maxIndex', (acc, batch, { columns }) => {
  columns.forEach((c, i) => {
    const { values, valid } = doubleColumn(columnByName(batch, c.name), c.kind);
    let max = acc[i];
    for (let r = 0; r < values.length; r++) {
      if (valid && !valid[r]) throw new Error(`Values from column ${c.name} must be indices, but got null.`);
      const x = values[r];
      if (x > INT_MAX) throw new Error(`OneHotEncoder only supports up to ${INT_MAX} indices, but got ${formatDouble(x)}.`);
      if (!(x >= 0 && x === Math.trunc(x))) throw new Error(`Values from column ${c.name} must be indices, but got ${formatDouble(x)}.`);
      if (x > max) max = x;
    }
    acc[i] = max;
  });
  return acc;
});

export function maxInto(a: Float64Array, b: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) a[i] = Math.max(a[i], b[i]);
  return a;
}

export interface EncoderParams {
  columns: (EncoderColumn & {
    /** Categories seen when fitting. */
    categorySize: number;
    /** Output vector size, with dropLast and handleInvalid taken into account. */
    size: number;
  })[];
  keepInvalid: boolean;
}

/** The category an index sets (≥ c.size: none, the dropped last one); an invalid index is the extra category under 'keep', else an error. */
export function categoryOf(label: number, c: { categorySize: number }, keepInvalid: boolean): number {
  if (label >= 0 && label < c.categorySize) return Math.trunc(label);
  if (keepInvalid) return c.categorySize;
  if (label < 0) throw new Error(`Negative value: ${formatDouble(label)}. Input can't be negative. To handle invalid values, set Param handleInvalid to keep`);
  throw new Error(`Unseen value: ${formatDouble(label)}. To handle unseen values, set Param handleInvalid to keep.`);
}

/**
 * One sparse column per input: index i in [0, categorySize) sets entry i (none when i is the dropped
 * last category); an invalid index is the extra category under 'keep', else an error. Null stays null.
 */
export const ONE_HOT_ENCODER = registerMapper<EncoderParams>('feature.oneHotEncoder', (batch, p) => {
  const n = batch.numRows;
  return {
    columns: p.columns.map((c) => {
      const { values, valid } = doubleColumn(columnByName(batch, c.name), c.kind);
      const sizes = new Int32Array(n).fill(c.size), offsets = new Int32Array(n + 1);
      const indices = new Int32Array(n);
      let e = 0;
      for (let r = 0; r < n; r++) {
        if (!valid || valid[r]) {
          const idx = categoryOf(values[r], c, p.keepInvalid);
          if (idx < c.size) indices[e++] = idx;
        }
        offsets[r + 1] = e;
      }
      return sparseVectorData(sizes, offsets, indices.slice(0, e), new Float64Array(e).fill(1), valid);
    }),
  };
});
