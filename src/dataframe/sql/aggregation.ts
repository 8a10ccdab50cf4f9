// The aggregation of one SELECT: GROUP BY keys (expressions become columns first), the aggregate
// calls met in the select list, HAVING and ORDER BY (computed in one groupBy().agg()), and the
// rewrite of those clauses onto the aggregated rows, which rejects what is neither grouped nor
// aggregated as Spark's analyzer does.
import { Column, col, type Expr } from '../column.js';
import type { DataFrame } from '../dataframe.js';
import type { AggColumn } from '../grouped.js';
import { exprJson } from '../literal.js';
import { decodeCall, encodeCall, isWindowPlaceholder } from '../window.js';
import { compileExpr, displayExpr, type AggregateSink, type ExprContext } from './expression.js';
import type { AstNode } from './parse.js';
import type { Relation } from './query.js';

/** Collects the aggregates of one query and rewrites expressions onto the aggregated DataFrame. */
export class Aggregation implements AggregateSink {
  private readonly aggs: AggColumn[] = [];
  private readonly aggKeys = new Map<string, string>();
  private readonly keyOf = new Map<string, string>();
  private readonly keys: string[] = [];
  readonly names = new Map<string, string>();
  private source: DataFrame;

  constructor(private readonly rel: Relation, groupBy: AstNode[]) {
    this.source = rel.df;
    const ctx: ExprContext = { scope: rel.scope, clause: 'GROUP BY', aggregates: null, windows: null };
    groupBy.forEach((g, i) => {
      const e = compileExpr(g, ctx).expr;
      const k = exprJson(e);
      if (this.keyOf.has(k)) return;
      let name: string;
      if (e.op === 'col') name = e.name;
      else { name = `__grp${i}`; this.source = this.source.withColumn(name, new Column(e)); }
      this.keyOf.set(k, name);
      this.keys.push(name);
      this.names.set(name, displayExpr(e, rel.scope));
    });
  }

  add(agg: AggColumn, name: string): Expr {
    const k = exprJson([agg.fn, agg.input?.expr ?? null]);
    let internal = this.aggKeys.get(k);
    if (!internal) {
      internal = `__agg${this.aggs.length}`;
      this.aggs.push(agg.alias(internal));
      this.aggKeys.set(k, internal);
      this.names.set(internal, name);
    }
    return col(internal).expr;
  }

  build(): DataFrame { return this.source.groupBy(...this.keys).agg(...this.aggs); }

  /** Grouping expressions become their key columns; anything else not aggregated is an error, as Spark's. */
  rewrite(e: Expr): Expr {
    const key = this.keyOf.get(exprJson(e));
    if (key) return col(key).expr;
    if (e.op === 'col') {
      if (this.aggKeys.size && [...this.aggKeys.values()].includes(e.name)) return e;
      if (isWindowPlaceholder(e.name)) {
        // A window over the aggregated rows: its input, partitioning and ordering read them too.
        const call = decodeCall(e.name);
        return col(encodeCall({
          ...call, input: call.input && this.rewrite(call.input), partitionBy: call.partitionBy.map((x) => this.rewrite(x)),
          orderBy: call.orderBy.map((o) => ({ ...o, expr: this.rewrite(o.expr) })),
        })).expr;
      }
      const shown = displayExpr(e, this.rel.scope);
      throw new Error(`[MISSING_AGGREGATION] The non-aggregating expression "${shown}" is based on columns which are not participating in the GROUP BY clause. Add the columns or the expression to the GROUP BY, or aggregate the expression.`);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) out[k] = this.rewriteValue(v);
    return out as Expr;
  }

  private rewriteValue(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => this.rewriteValue(x));
    if (v !== null && typeof v === 'object' && 'op' in v) return this.rewrite(v as Expr);
    return v;
  }
}
