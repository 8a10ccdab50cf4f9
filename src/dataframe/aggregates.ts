// Aggregate functions for groupBy().agg(): each keeps a per-group state that can be updated from
// raw rows, written out as partial columns (map-side combine), merged from partial columns after
// the shuffle, and finalised into the result column.
import { booleanData, primitiveData, utf8Data, validityBytes, type AnyData } from './batch.js';
import { keyValues } from './keys.js';
import { isNested, typeName, type DataType } from './types.js';

export type AggFunction = 'count' | 'sum' | 'mean' | 'avg' | 'min' | 'max' | 'stddev' | 'variance' | 'countDistinct' | 'first' | 'last';
export const AGG_FUNCTIONS: readonly AggFunction[] = ['count', 'sum', 'mean', 'avg', 'min', 'max', 'stddev', 'variance', 'countDistinct', 'first', 'last'];

/** Spark's result name for an unaliased aggregate. */
export function aggName(fn: AggFunction, input: string | null): string {
  if (input === null) return 'count';
  const label = ({ mean: 'avg', countDistinct: 'count' } as Record<string, string>)[fn] ?? fn;
  return fn === 'countDistinct' ? `count(DISTINCT ${input})` : `${label}(${input})`;
}

/** Result type of an aggregate over an input type (Spark: count -> bigint, sum of integers -> bigint, avg -> double). */
export function aggResultType(fn: AggFunction, input: DataType | null, column: string): DataType {
  if (fn === 'count' || fn === 'countDistinct') return { kind: 'long' };
  if (!input) throw new Error(`${fn}() needs an input column`);
  if (input.kind === 'vector' || isNested(input)) throw new Error(`${fn}(${column}): ${typeName(input)} columns cannot be aggregated`);
  if (fn === 'min' || fn === 'max' || fn === 'first' || fn === 'last') return input;
  if (input.kind === 'string' || input.kind === 'boolean') {
    throw new Error(`cannot resolve '${aggName(fn, column)}' due to data type mismatch: function ${fn} requires numeric types, not ${input.kind}`);
  }
  if (fn === 'sum') return input.kind === 'double' ? { kind: 'double' } : { kind: 'long' };
  return { kind: 'double' };
}

/** Partial state columns an aggregate writes for the map-side combine. */
export function partialTypes(fn: AggFunction, input: DataType | null): DataType[] {
  const d: DataType = { kind: 'double' };
  switch (fn) {
    case 'count': return [d];
    case 'sum': case 'mean': case 'avg': return [d, d];
    case 'stddev': case 'variance': return [d, d, d];
    case 'min': case 'max': case 'first': case 'last': return [input!, { kind: 'boolean' }];
    case 'countDistinct': throw new Error('countDistinct has no partial form');
  }
}

type Value = number | string | null;

/** Spark's ordering for min/max: NaN above every number. */
function less(a: Value, b: Value): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== a) return false;
    if (b !== b) return true;
    return a < b;
  }
  return (a as string) < (b as string);
}

export class AggState {
  // Numeric accumulators (count, sum or mean, m2) and value slots for min/max/first/last.
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly c: Float64Array;
  readonly value: Value[];
  readonly has: Uint8Array;
  readonly sets: Set<unknown>[] | null;

  constructor(readonly fn: AggFunction, readonly groups: number) {
    this.a = new Float64Array(groups); this.b = new Float64Array(groups); this.c = new Float64Array(groups);
    this.value = new Array<Value>(groups).fill(null);
    this.has = new Uint8Array(groups);
    this.sets = fn === 'countDistinct' ? Array.from({ length: groups }, () => new Set()) : null;
  }

  /** Folds raw rows in: `values` null means count(*). */
  update(groupOf: Int32Array, values: Value[] | null): void {
    const n = groupOf.length;
    const { a, b, c } = this;
    switch (this.fn) {
      case 'count':
        for (let i = 0; i < n; i++) if (values === null || values[i] !== null) a[groupOf[i]]++;
        return;
      case 'sum': case 'mean': case 'avg':
        for (let i = 0; i < n; i++) { const v = values![i]; if (v !== null) { const g = groupOf[i]; a[g]++; b[g] += v as number; } }
        return;
      case 'stddev': case 'variance':
        // Welford per group: a = count, b = mean, c = M2.
        for (let i = 0; i < n; i++) {
          const v = values![i];
          if (v === null) continue;
          const g = groupOf[i], x = v as number;
          const cnt = ++a[g], delta = x - b[g];
          b[g] += delta / cnt;
          c[g] += delta * (x - b[g]);
        }
        return;
      case 'min': case 'max':
        for (let i = 0; i < n; i++) {
          const v = values![i];
          if (v === null) continue;
          const g = groupOf[i];
          if (!this.has[g] || (this.fn === 'min' ? less(v, this.value[g]) : less(this.value[g], v))) { this.value[g] = v; this.has[g] = 1; }
        }
        return;
      case 'first':
        for (let i = 0; i < n; i++) { const g = groupOf[i]; if (!this.has[g]) { this.value[g] = values![i]; this.has[g] = 1; } }
        return;
      case 'last':
        for (let i = 0; i < n; i++) { const g = groupOf[i]; this.value[g] = values![i]; this.has[g] = 1; }
        return;
      case 'countDistinct':
        for (let i = 0; i < n; i++) {
          const v = values![i];
          if (v !== null) this.sets![groupOf[i]].add(typeof v === 'number' && v !== v ? 'NaN\u0000' : v);
        }
    }
  }

  /** Merges partial rows (as written by `partialColumns`) in row order. */
  merge(groupOf: Int32Array, partial: AnyData[], inputType: DataType | null): void {
    const n = groupOf.length;
    if (n === 0) return; // an empty reduce partition may not carry the partial columns at all
    const { a, b, c } = this;
    const num = (d: AnyData) => (d.values as Float64Array).subarray(d.offset, d.offset + d.length);
    switch (this.fn) {
      case 'count': { const pa = num(partial[0]); for (let i = 0; i < n; i++) a[groupOf[i]] += pa[i]; return; }
      case 'sum': case 'mean': case 'avg': {
        const pa = num(partial[0]), pb = num(partial[1]);
        for (let i = 0; i < n; i++) { const g = groupOf[i]; a[g] += pa[i]; b[g] += pb[i]; }
        return;
      }
      case 'stddev': case 'variance': {
        const pa = num(partial[0]), pb = num(partial[1]), pc = num(partial[2]);
        for (let i = 0; i < n; i++) {
          const g = groupOf[i], nb = pa[i];
          if (nb === 0) continue;
          const na = a[g], total = na + nb, delta = pb[i] - b[g];
          c[g] += pc[i] + (delta * delta * na * nb) / total;
          b[g] += (delta * nb) / total;
          a[g] = total;
        }
        return;
      }
      default: {
        const values = keyValues(partial[0], inputType!, 'partial');
        const has = validityBytes(partial[1]);
        const hasBits = partial[1].values as Uint8Array, off = partial[1].offset;
        for (let i = 0; i < n; i++) {
          const j = off + i;
          if ((has && !has[i]) || ((hasBits[j >> 3] >> (j & 7)) & 1) === 0) continue;
          const g = groupOf[i], v = values[i];
          if (this.fn === 'first') { if (!this.has[g]) { this.value[g] = v; this.has[g] = 1; } }
          else if (this.fn === 'last') { this.value[g] = v; this.has[g] = 1; }
          else if (v !== null && (!this.has[g] || (this.fn === 'min' ? less(v, this.value[g]) : less(this.value[g], v)))) { this.value[g] = v; this.has[g] = 1; }
        }
      }
    }
  }

  partialColumns(inputType: DataType | null): AnyData[] {
    const d: DataType = { kind: 'double' };
    switch (this.fn) {
      case 'count': return [primitiveData(d, this.a, null)];
      case 'sum': case 'mean': case 'avg': return [primitiveData(d, this.a, null), primitiveData(d, this.b, null)];
      case 'stddev': case 'variance': return [primitiveData(d, this.a, null), primitiveData(d, this.b, null), primitiveData(d, this.c, null)];
      case 'countDistinct': throw new Error('countDistinct has no partial form');
      default: return [valueColumn(inputType!, this.value), booleanData(this.has, null, this.groups)];
    }
  }

  finalColumn(inputType: DataType | null): AnyData {
    const g = this.groups;
    const valid = new Uint8Array(g);
    switch (this.fn) {
      case 'count': return longColumn(this.a);
      case 'countDistinct': return longColumn(Float64Array.from(this.sets!, (s) => s.size));
      case 'sum': {
        for (let i = 0; i < g; i++) valid[i] = this.a[i] > 0 ? 1 : 0;
        return inputType!.kind === 'double' ? primitiveData({ kind: 'double' }, this.b, valid) : longColumn(this.b, valid);
      }
      case 'mean': case 'avg': {
        const out = new Float64Array(g);
        for (let i = 0; i < g; i++) { valid[i] = this.a[i] > 0 ? 1 : 0; out[i] = this.a[i] > 0 ? this.b[i] / this.a[i] : 0; }
        return primitiveData({ kind: 'double' }, out, valid);
      }
      case 'stddev': case 'variance': {
        // Sample statistics; null for fewer than two values, as Spark 3.
        const out = new Float64Array(g);
        for (let i = 0; i < g; i++) {
          valid[i] = this.a[i] > 1 ? 1 : 0;
          const v = this.a[i] > 1 ? this.c[i] / (this.a[i] - 1) : 0;
          out[i] = this.fn === 'stddev' ? Math.sqrt(v) : v;
        }
        return primitiveData({ kind: 'double' }, out, valid);
      }
      default: return valueColumn(inputType!, this.value);
    }
  }
}

function longColumn(values: Float64Array, valid: Uint8Array | null = null): AnyData {
  const big = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) big[i] = BigInt(Math.round(values[i]));
  return primitiveData({ kind: 'long' }, big, valid);
}

/** A column of the input's type from collected values (min/max/first/last). */
function valueColumn(type: DataType, values: Value[]): AnyData {
  const n = values.length;
  const valid = Uint8Array.from(values, (v) => (v === null ? 0 : 1));
  switch (type.kind) {
    case 'double': return primitiveData(type, Float64Array.from(values, (v) => (v as number) ?? 0), valid);
    case 'int': return primitiveData(type, Int32Array.from(values, (v) => (v as number) ?? 0), valid);
    case 'long': return primitiveData(type, BigInt64Array.from(values, (v) => BigInt((v as number) ?? 0)), valid);
    case 'boolean': return booleanData(Uint8Array.from(values, (v) => (v ? 1 : 0)), valid, n);
    case 'string': return utf8Data(values as (string | null)[], n);
    default: throw new Error(`cannot aggregate ${type.kind} values`);
  }
}
