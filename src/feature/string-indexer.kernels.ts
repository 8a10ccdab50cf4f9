// StringIndexer's kernels: label counts per partition (merged by key on the driver) and the column
// mapper from labels to indices with Spark's handleInvalid (StringIndexerModel.getIndexer).
import { registerKernel } from '../engine/kernels.js';
import { primitiveData } from '../dataframe/batch.js';
import { registerMapper } from '../dataframe/mappers.js';
import { DoubleType } from '../dataframe/types.js';
import { columnByName, stringColumn } from './columns.js';
import { formatDouble } from '../linalg/format.js';
import type { ColumnKind } from './shared.js';

export interface IndexerColumn { name: string; kind: ColumnKind }

/** Key of a (column position, label) pair in the keyed reduce. */
export const countKey = (column: number, label: string): string => `${column}:${label}`;

export function parseCountKey(key: string): [number, string] {
  const sep = key.indexOf(':');
  return [Number(key.slice(0, sep)), key.slice(sep + 1)];
}

/** Occurrences of each non-null label per input column (NaN doubles are not labels, as in Spark). */
export const LABEL_COUNTS = registerKernel<{ columns: IndexerColumn[] }, [string, number][]>('feature.labelCounts', (batch, { columns }) => {
  const counts = new Map<string, number>();
  columns.forEach((c, i) => {
    const labels = stringColumn(columnByName(batch, c.name), c.kind, true);
    const local = new Map<string, number>();
    for (const s of labels) if (s !== null) local.set(s, (local.get(s) ?? 0) + 1);
    for (const [s, k] of local) counts.set(countKey(i, s), k);
  });
  return [...counts];
});

export interface IndexerParams {
  columns: (IndexerColumn & { labels: string[] })[];
  handleInvalid: 'error' | 'skip' | 'keep';
}

const NULL_ERROR = 'StringIndexer encountered NULL value. To handle or skip NULLS, try setting StringIndexer.handleInvalid.';

/** A label's index (null: a null value); a null or unseen one gets numLabels under 'keep', -1 (skip the row) under 'skip', else an error. */
export function indexOfLabel(s: string | null, toIndex: ReadonlyMap<string, number>, numLabels: number, handleInvalid: IndexerParams['handleInvalid']): number {
  const idx = s === null ? undefined : toIndex.get(s);
  if (idx !== undefined) return idx;
  if (handleInvalid === 'keep') return numLabels;
  if (handleInvalid === 'skip') return -1;
  if (s === null) throw new Error(NULL_ERROR);
  throw new Error(`Unseen label: ${s}. To handle unseen labels, set Param handleInvalid to keep.`);
}

/** One value of a row as the label string transform reads (Spark's cast of numbers to string). */
export function labelOfValue(v: unknown, kind: ColumnKind): string | null {
  if (v === null || v === undefined) return null;
  if (kind === 'string') return String(v);
  return kind === 'double' ? formatDouble(Number(v)) : String(v);
}

/**
 * One double column per input: the label's index; under 'keep' a null or unseen label gets index
 * numLabels, under 'skip' its row is dropped, under 'error' it throws. Numeric inputs are cast to
 * strings first (a NaN double reads "NaN", which is never a label).
 */
export const STRING_INDEXER = registerMapper<IndexerParams>('feature.stringIndexer', (batch, p) => {
  const n = batch.numRows;
  const indexed = p.columns.map((c) => {
    const labels = stringColumn(columnByName(batch, c.name), c.kind, false);
    const toIndex = new Map<string, number>();
    c.labels.forEach((l, i) => toIndex.set(l, i));
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) out[r] = indexOfLabel(labels[r], toIndex, c.labels.length, p.handleInvalid);
    return out;
  });
  if (p.handleInvalid !== 'skip') return { columns: indexed.map((v) => primitiveData(DoubleType, v, null)) };
  const kept: number[] = [];
  for (let r = 0; r < n; r++) if (indexed.every((v) => v[r] >= 0)) kept.push(r);
  if (kept.length === n) return { columns: indexed.map((v) => primitiveData(DoubleType, v, null)) };
  const rows = Int32Array.from(kept);
  return { columns: indexed.map((v) => primitiveData(DoubleType, Float64Array.from(rows, (r) => v[r]), null)), rows };
});
