// VectorSizeHint's column mapper: checks (or, under 'skip', filters) the vectors of one column
// against the declared size and passes the column through unchanged.
import { takeColumn } from '../dataframe/batch.js';
import { registerMapper } from '../dataframe/mappers.js';
import type { DataType } from '../dataframe/types.js';
import { columnByName, sparseColumn } from './columns.js';

export interface SizeHintParams {
  column: string;
  /** The column's type: a dense column's vectors all have its width, a sparse one's sizes are per row. */
  type: DataType;
  size: number;
  handleInvalid: 'error' | 'skip' | 'optimistic';
}

export const VECTOR_SIZE_HINT = registerMapper<SizeHintParams>('feature.vectorSizeHint', (batch, p) => {
  const data = columnByName(batch, p.column);
  if (p.handleInvalid === 'optimistic') return { columns: [data] };
  const n = batch.numRows;
  const sparse = p.type.kind === 'vector' && p.type.encoding === 'sparse' ? sparseColumn(data) : null;
  const valid = sparse ? sparse.valid : data.nullCount > 0 ? Uint8Array.from({ length: n }, (_, i) => (data.getValid(i) ? 1 : 0)) : null;
  const sizeAt = (i: number) => (sparse ? sparse.sizes[i] : p.size);
  if (p.handleInvalid === 'error') {
    for (let i = 0; i < n; i++) {
      // Spark's messages (VectorSizeHint.transform).
      if (valid && !valid[i]) throw new Error("Got null vector in VectorSizeHint, set `handleInvalid` to 'skip' to filter invalid rows.");
      if (sizeAt(i) !== p.size) throw new Error(`VectorSizeHint Expecting a vector of size ${p.size} but got ${sizeAt(i)}`);
    }
    return { columns: [data] };
  }
  // 'skip': rows with a null or a vector of another size go (Spark nulls them, then na.drop).
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if ((!valid || valid[i]) && sizeAt(i) === p.size) kept.push(i);
  if (kept.length === n) return { columns: [data] };
  const rows = Int32Array.from(kept);
  return { columns: [takeColumn(p.type, data, rows)], rows };
});
