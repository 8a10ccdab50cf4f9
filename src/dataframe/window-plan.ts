// Planning window expressions: when a projection reads window placeholders (see window.ts), each
// call is checked against the schema (Spark's analysis rules), expressions used as inputs or keys
// become temporary columns, and every distinct (partitionBy, orderBy) pair becomes one hash
// shuffle by the partition keys followed by a WindowNode that appends the calls' columns.
// Without partitionBy every row goes to a single partition, as in Spark (which warns about it).
//
// Row order: the rows come out grouped by partition key and sorted by the order keys within each
// group (ties in input order). Spark promises no order; do not rely on this one either.
import type { PartitionPlan } from '../engine/protocol.js';
import { aggResultType, type AggFunction } from './aggregates.js';
import { Column, exprName, type Expr } from './column.js';
import type { DataFrame } from './dataframe.js';
import { HASH_PARTITION } from './exchange.kernels.js';
import { resolveExpr } from './expr.js';
import { exprJson } from './literal.js';
import { ExchangeNode, LogicalNode } from './logical.js';
import type { SortKey } from './sort.kernels.js';
import { isNumeric, StructType, typeName, type DataType, type StructField } from './types.js';
import {
  AGG_WINDOW_FUNCTIONS, decodeCall, defaultFrame, isWindowPlaceholder, requiredFrame, type WindowCall, type WindowFrame,
} from './window.js';
import type { WindowExprPlan, WindowPlan } from './window.kernels.js';

export class WindowNode extends LogicalNode {
  constructor(private readonly child: LogicalNode, private readonly spec: Pick<WindowPlan, 'partitionBy' | 'orderBy' | 'exprs'>,
    readonly schema: StructType) { super(child.engine); }
  numPartitions(): number { return this.child.numPartitions(); }
  protected async compute(): Promise<PartitionPlan[]> {
    const fields = this.schema.fields as StructField[];
    return (await this.child.plans()).map((child): WindowPlan => ({ kind: 'window', child, ...this.spec, fields }));
  }
}

/** Column names an expression tree reads (walks any expression shape). */
function columnRefs(e: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(e)) for (const x of e) columnRefs(x, out);
  else if (e !== null && typeof e === 'object') {
    const o = e as { op?: unknown; name?: unknown };
    if (o.op === 'col' && typeof o.name === 'string') out.add(o.name);
    else for (const v of Object.values(o)) columnRefs(v, out);
  }
  return out;
}

/** Throws when a condition uses a window function (Spark does not allow them in WHERE either). */
export function assertNoWindow(e: Expr, op: string): void {
  if ([...columnRefs(e, new Set())].some(isWindowPlaceholder)) {
    throw new Error(`${op}: window functions are not allowed here; compute them with withColumn first, then ${op} on that column`);
  }
}

/**
 * `df` with a column for every window placeholder that `exprs` read and `df` lacks (plus any
 * temporary input columns); `df` itself when there is none.
 */
export function withWindowColumns(df: DataFrame, exprs: readonly Expr[]): DataFrame {
  const names = [...columnRefs(exprs, new Set())].filter((n) => isWindowPlaceholder(n) && !df.schema.has(n));
  if (names.length === 0) return df;
  let source = df;
  const temps = new Map<string, string>();
  /** A column holding the expression's values: its name, or a temporary column computed once. */
  const columnFor = (e: Expr, what: string): string => {
    if ([...columnRefs(e, new Set())].some(isWindowPlaceholder)) throw new Error(`window: window functions cannot be nested; compute the inner one with withColumn first`);
    const t = resolveExpr(e, df.schema); // throws naming an unknown column
    if ((t.kind === 'vector' || t.kind === 'array' || t.kind === 'struct') && what !== 'input') throw new Error(`window: cannot ${what} ${t.kind} column '${exprName(e)}'`);
    if (e.op === 'col') return e.name;
    const key = exprJson(e);
    let name = temps.get(key);
    if (name === undefined) {
      name = `__window_in${temps.size}`;
      temps.set(key, name);
      source = source.withColumn(name, new Column(e));
    }
    return name;
  };

  const byWindow = new Map<string, { partitionBy: string[]; orderBy: SortKey[]; exprs: WindowExprPlan[]; names: string[]; fields: StructField[] }>();
  for (const name of names) {
    const call = decodeCall(name);
    const partitionBy = call.partitionBy.map((e) => columnFor(e, 'partition by'));
    const orderBy = call.orderBy.map((o): SortKey => ({ column: columnFor(o.expr, 'order by'), ascending: o.ascending, nullsFirst: o.nullsFirst }));
    const input = call.input === null ? null : columnFor(call.input, 'input');
    const inputType = input === null ? null : source.schema.field(input).type;
    const frame = resolveFrame(call, orderBy.map((k) => source.schema.field(k.column).type));
    const type = resultType(call, inputType);
    const key = JSON.stringify([partitionBy, orderBy]);
    let w = byWindow.get(key);
    if (!w) byWindow.set(key, w = { partitionBy, orderBy, exprs: [], names: [], fields: [] });
    w.exprs.push({ fn: call.fn, input, frame, offset: call.offset, default: call.default, type });
    w.fields.push({ name, type, nullable: call.fn !== 'count' && !(call.fn in RANK_TYPES) });
  }
  for (const w of byWindow.values()) {
    const n = w.partitionBy.length ? Math.max(1, df.session.defaultParallelism) : 1;
    const exchange = new ExchangeNode(source.node, HASH_PARTITION, { keys: w.partitionBy }, n);
    const schema = new StructType([...source.schema.fields, ...w.fields]);
    source = source.withNode(new WindowNode(exchange, { partitionBy: w.partitionBy, orderBy: w.orderBy, exprs: w.exprs }, schema));
  }
  return source;
}

const RANK_TYPES: Record<string, DataType> = {
  row_number: { kind: 'int' }, rank: { kind: 'int' }, dense_rank: { kind: 'int' }, percent_rank: { kind: 'double' }, cume_dist: { kind: 'double' },
};

function resultType(call: WindowCall, input: DataType | null): DataType {
  const rank = RANK_TYPES[call.fn];
  if (rank) return rank;
  const inputName = call.input ? exprName(call.input) : '*';
  if (call.fn === 'lag' || call.fn === 'lead') {
    const d = call.default;
    if (d !== null) {
      const ok = input!.kind === 'string' ? typeof d === 'string' : input!.kind === 'boolean' ? typeof d === 'boolean'
        : isNumeric(input!) ? typeof d === 'number' && (input!.kind === 'double' || Number.isInteger(d)) : false;
      if (!ok) throw new Error(`${call.fn}(${inputName}): the default ${JSON.stringify(d)} does not fit the column's type ${typeName(input!)}`);
    }
    return input!;
  }
  if (call.fn === 'first' || call.fn === 'last') return input!;
  return aggResultType(call.fn as AggFunction, input, inputName);
}

/** The frame a call runs over, checked as Spark's analyzer does. */
function resolveFrame(call: WindowCall, orderTypes: DataType[]): WindowFrame {
  const fn = `${call.fn}()`;
  const required = requiredFrame(call);
  if (required) {
    if (orderTypes.length === 0) {
      throw new Error(`window function ${fn} requires an ordered window: add orderBy(...), e.g. Window.partitionBy('user').orderBy('ts')`);
    }
    if (call.frame && JSON.stringify(call.frame) !== JSON.stringify(required)) {
      throw new Error(`window function ${fn} does not take a frame (rowsBetween/rangeBetween); use a window without one`);
    }
    return required;
  }
  if (!(AGG_WINDOW_FUNCTIONS as readonly string[]).includes(call.fn)) throw new Error(`${fn} is not a window function`);
  const frame = call.frame ?? defaultFrame(orderTypes.length > 0);
  if (frame.type === 'range') {
    const valueBounds = [frame.start, frame.end].filter((b) => b !== null && b !== 0);
    if (orderTypes.length === 0 && (frame.start !== null || frame.end !== null)) {
      throw new Error('rangeBetween: a RANGE frame needs an ordered window (orderBy) unless both ends are unbounded');
    }
    if (valueBounds.length) {
      const frameText = `rangeBetween(${frame.start ?? 'unboundedPreceding'}, ${frame.end ?? 'unboundedFollowing'})`;
      if (orderTypes.length !== 1) {
        throw new Error(`${frameText}: a RANGE frame with value offsets needs exactly one orderBy column, but the window orders by ${orderTypes.length}; use rowsBetween, or order by one numeric column`);
      }
      if (!isNumeric(orderTypes[0])) {
        throw new Error(`${frameText}: a RANGE frame with value offsets needs a numeric orderBy column, but '${exprName(call.orderBy[0].expr)}' is ${typeName(orderTypes[0])} (timestamps as numbers, e.g. epoch seconds)`);
      }
    }
  }
  return frame;
}
