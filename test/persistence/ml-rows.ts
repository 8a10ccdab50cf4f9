/** Collected rows as plain JSON (vectors as arrays), to compare across processes. */
import { DenseVector, SparseVector } from '../../src/linalg/vectors.js';

export function plainRows(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, v instanceof DenseVector || v instanceof SparseVector ? v.toJSON() : v]),
    ),
  );
}
