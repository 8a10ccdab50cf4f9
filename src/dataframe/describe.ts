// df.describe(...cols) and df.summary(...stats), as Spark's: a `summary` column naming the statistic
// and one string column per numeric or string input column (other types are left out, as Spark
// does), numbers formatted as Spark casts them to strings. count, mean, stddev, min and max come
// from ONE global aggregation (grouped.ts), never from collecting rows; mean and stddev of a string
// column average the values that parse as numbers (Spark's implicit cast), so they are usually null.
// Percentiles ('25%', ...) come from a mergeable quantile sketch folded over the partitions
// (describe.kernels.ts): exact up to 20 000 non-null values, within about 1e-4 of the rank beyond,
// as Spark's percentile_approx with its default accuracy; null for string columns.
// count_distinct (and approx_count_distinct, computed exactly) run as a second aggregation.
// The result is lazy: the jobs run when the DataFrame is first used, and their one-row-per-statistic
// table is then kept with the DataFrame.
import { batchToShared } from '../engine/blocks.js';
import { makeBatch, utf8Data } from './batch.js';
import { col, type Column } from './column.js';
import type { DataFrame } from './dataframe.js';
import { QUANTILE_SKETCH, emptySketch, mergeSketches, sketchQuantile, type QuantileSketch, type SketchParams } from './describe.kernels.js';
import { formatDouble } from '../linalg/format.js';
import { aggregate, functions, type AggColumn } from './grouped.js';
import { StageNode } from './logical.js';
import { StructType, isNumeric, type StructField } from './types.js';

export const DESCRIBE_STATISTICS = ['count', 'mean', 'stddev', 'min', 'max'] as const;
export const DEFAULT_SUMMARY_STATISTICS = ['count', 'mean', 'stddev', 'min', '25%', '50%', '75%', 'max'] as const;

type Moment = 'count' | 'mean' | 'stddev' | 'min' | 'max';
const MOMENTS: readonly string[] = DESCRIBE_STATISTICS;

/** Spark's describe: count, mean, stddev, min, max of the given columns (default: every numeric and string column). */
export function describe(df: DataFrame, cols: string[]): DataFrame {
  const fields = cols.length === 0 ? df.schema.fields.filter(summarizable) : cols.map((c) => df.schema.field(c)).filter(summarizable);
  return summaryOf(df, fields, [...DESCRIBE_STATISTICS]);
}

/** Spark's summary: the given statistics (default count, mean, stddev, min, 25%, 50%, 75%, max) of every numeric and string column. */
export function summary(df: DataFrame, statistics: string[]): DataFrame {
  return summaryOf(df, df.schema.fields.filter(summarizable), statistics.length ? statistics : [...DEFAULT_SUMMARY_STATISTICS]);
}

const summarizable = (f: StructField): boolean => isNumeric(f.type) || f.type.kind === 'string';

type Statistic = { kind: 'moment'; name: Moment } | { kind: 'percentile'; p: number } | { kind: 'distinct' };

function parseStatistic(s: string): Statistic {
  if (MOMENTS.includes(s)) return { kind: 'moment', name: s as Moment };
  if (s === 'count_distinct' || s === 'approx_count_distinct') return { kind: 'distinct' };
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*%\s*$/.exec(s);
  if (m) {
    const p = Number(m[1]) / 100;
    if (p >= 0 && p <= 1) return { kind: 'percentile', p };
  }
  throw new Error(`summary: '${s}' is not a recognised statistic; use count, mean, stddev, min, max, ` +
    `count_distinct, approx_count_distinct or a percentile such as '25%' (between 0% and 100%)`);
}

function summaryOf(df: DataFrame, fields: StructField[], statistics: string[]): DataFrame {
  const stats = statistics.map(parseStatistic);
  const schema = new StructType([
    { name: 'summary', type: { kind: 'string' }, nullable: true },
    ...fields.map((f): StructField => ({ name: f.name, type: { kind: 'string' }, nullable: true })),
  ]);
  return df.withNode(new SummaryNode(df, fields, statistics, stats, schema));
}

class SummaryNode extends StageNode {
  constructor(private readonly df: DataFrame, private readonly fields: StructField[], private readonly names: string[],
    private readonly stats: Statistic[], readonly schema: StructType) { super(df.engine); }
  numPartitions(): number { return 1; }

  protected async run(): Promise<string[][]> {
    const table = await computeSummary(this.df, this.fields, this.stats);
    const columns = [
      utf8Data(this.names),
      ...this.fields.map((_, j) => utf8Data(table.map((row) => row[j]))),
    ];
    const batch = makeBatch(this.schema, columns, this.names.length);
    return [[this.engine.putBlock(batchToShared(batch))]];
  }
}

/** One row of texts (one per field) per statistic. */
async function computeSummary(df: DataFrame, fields: StructField[], stats: Statistic[]): Promise<(string | null)[][]> {
  const moments = new Set(stats.flatMap((s) => (s.kind === 'moment' ? [s.name] : [])));
  const wantDistinct = stats.some((s) => s.kind === 'distinct');
  const numericFields = fields.filter((f) => isNumeric(f.type));
  const wantPercentiles = stats.some((s) => s.kind === 'percentile') && numericFields.length > 0;
  const alias = (j: number, stat: string) => `__summary${j}_${stat}`;

  const momentAggs: AggColumn[] = fields.flatMap((f, j) => {
    const c = col(f.name);
    const asNumber: Column = isNumeric(f.type) ? c : c.cast('double');
    const out: AggColumn[] = [];
    if (moments.has('count')) out.push(functions.count(c).alias(alias(j, 'count')));
    if (moments.has('mean')) out.push(functions.mean(asNumber).alias(alias(j, 'mean')));
    if (moments.has('stddev')) out.push(functions.stddev(asNumber).alias(alias(j, 'stddev')));
    if (moments.has('min')) out.push(functions.min(c).alias(alias(j, 'min')));
    if (moments.has('max')) out.push(functions.max(c).alias(alias(j, 'max')));
    return out;
  });
  const [momentRow, distinctRow, sketches] = await Promise.all([
    momentAggs.length ? aggregate(df, [], momentAggs).collect().then((rows) => rows[0] ?? {}) : Promise.resolve({}),
    // countDistinct cannot combine map-side; kept apart so the moments still do.
    wantDistinct && fields.length
      ? aggregate(df, [], fields.map((f, j) => functions.countDistinct(f.name).alias(alias(j, 'distinct')))).collect().then((rows) => rows[0] ?? {})
      : Promise.resolve({}),
    wantPercentiles
      ? df.treeAggregate<QuantileSketch[]>([], QUANTILE_SKETCH,
        (a, b) => numericFields.map((_, j) => mergeSketches(a[j] ?? emptySketch(), b[j] ?? emptySketch())), 2,
        { columns: numericFields.map((f) => f.name) } satisfies SketchParams)
      : Promise.resolve([] as QuantileSketch[]),
  ]);
  const row = { ...momentRow, ...distinctRow } as Record<string, unknown>;
  return stats.map((s) => fields.map((f, j) => {
    if (s.kind === 'moment') {
      const v = row[alias(j, s.name)];
      if (s.name === 'count') return v === null || v === undefined ? '0' : String(v);
      if (s.name === 'mean' || s.name === 'stddev') return v === null || v === undefined ? null : formatDouble(Number(v));
      return valueText(v, f);
    }
    if (s.kind === 'distinct') return String(row[alias(j, 'distinct')] ?? 0);
    const k = numericFields.indexOf(f);
    if (k < 0) return null; // no percentiles of strings, as Spark
    return valueText(sketchQuantile(sketches[k] ?? emptySketch(), s.p), f);
  }));
}

/** A value of the column's own type as Spark's cast to string prints it. */
function valueText(v: unknown, f: StructField): string | null {
  if (v === null || v === undefined) return null;
  if (f.type.kind === 'double') return formatDouble(Number(v));
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v).toString(); // never '1e+21'
  return String(v);
}
