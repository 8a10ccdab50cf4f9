// Imputer's fit kernel: one pass folding every input column of a partition into the statistic
// its strategy needs, with missing values (null, NaN, missingValue) left out as Spark's fit does
// (it maps them to null before avg / approxQuantile / the mode's group-by):
//   mean   -> sum and count,
//   median -> a mergeable quantile sketch (dataframe/describe.kernels.ts), sized from relativeError,
//   mode   -> a count per distinct value (Spark groups by value; here the counts merge by key).
import { registerAggregator } from '../engine/kernels.js';
import { mergeSketches, sketchOf, type QuantileSketch } from '../dataframe/describe.kernels.js';
import { columnByName, doubleColumn } from './columns.js';
import type { ColumnKind } from './shared.js';

export type ImputerStrategy = 'mean' | 'median' | 'mode';

export interface ImputerFitParams {
  columns: { name: string; kind: ColumnKind }[];
  strategy: ImputerStrategy;
  missingValue: number;
  /** Sketch size for the median (Infinity keeps every value: exact). */
  sketchSize: number;
}

export type ImputerPartial =
  | { strategy: 'mean'; sums: number[]; counts: number[] }
  | { strategy: 'median'; sketches: QuantileSketch[] }
  | { strategy: 'mode'; counts: Map<number, number>[] };

export function zeroPartial(strategy: ImputerStrategy, numColumns: number): ImputerPartial {
  switch (strategy) {
    case 'mean': return { strategy, sums: new Array<number>(numColumns).fill(0), counts: new Array<number>(numColumns).fill(0) };
    case 'median': return { strategy, sketches: Array.from({ length: numColumns }, () => sketchOf(new Float64Array(0))) };
    case 'mode': return { strategy, counts: Array.from({ length: numColumns }, () => new Map<number, number>()) };
  }
}

/** The non-missing values of one column of a batch, as doubles. */
function presentValues(values: Float64Array, valid: Uint8Array | null, missingValue: number): Float64Array {
  const out = new Float64Array(values.length);
  const missingIsNaN = missingValue !== missingValue;
  let n = 0;
  for (let r = 0; r < values.length; r++) {
    if (valid && !valid[r]) continue;
    const x = values[r];
    if (x !== x || (!missingIsNaN && x === missingValue)) continue;
    out[n++] = x;
  }
  return out.subarray(0, n);
}

export const IMPUTER_FIT = registerAggregator<ImputerPartial, ImputerFitParams>('feature.imputerFit', (acc, batch, p) => {
  const part = zeroPartial(p.strategy, p.columns.length);
  p.columns.forEach((c, j) => {
    const { values, valid } = doubleColumn(columnByName(batch, c.name), c.kind);
    const xs = presentValues(values, valid, p.missingValue);
    if (part.strategy === 'mean') {
      let s = 0;
      for (let i = 0; i < xs.length; i++) s += xs[i];
      part.sums[j] = s; part.counts[j] = xs.length;
    } else if (part.strategy === 'median') {
      part.sketches[j] = sketchOf(xs, p.sketchSize);
    } else {
      const counts = part.counts[j];
      // 0 and -0 are one key (Map's SameValueZero), as Spark normalises -0.0 before grouping.
      for (let i = 0; i < xs.length; i++) counts.set(xs[i], (counts.get(xs[i]) ?? 0) + 1);
    }
  });
  return mergePartials(acc, part, p.sketchSize);
});

/** Merges two partials of the same strategy into `a`. */
export function mergePartials(a: ImputerPartial, b: ImputerPartial, sketchSize: number): ImputerPartial {
  if (a.strategy === 'mean' && b.strategy === 'mean') {
    for (let j = 0; j < a.sums.length; j++) { a.sums[j] += b.sums[j]; a.counts[j] += b.counts[j]; }
  } else if (a.strategy === 'median' && b.strategy === 'median') {
    for (let j = 0; j < a.sketches.length; j++) a.sketches[j] = mergeSketches(a.sketches[j], b.sketches[j], sketchSize);
  } else if (a.strategy === 'mode' && b.strategy === 'mode') {
    a.counts.forEach((m, j) => { for (const [v, c] of b.counts[j]) m.set(v, (m.get(v) ?? 0) + c); });
  } else {
    throw new Error(`Imputer: cannot merge a ${a.strategy} partial with a ${b.strategy} partial`);
  }
  return a;
}

/** The most frequent value, the smallest among ties (Spark's min(struct(-count, value))); NaN when empty. */
export function modeOf(counts: ReadonlyMap<number, number>): number {
  let best = NaN, bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount || (c === bestCount && v < best)) { best = v; bestCount = c; }
  }
  return best;
}
