// DataFrame joins (Spark's semantics): equi-joins on named columns or on equalities between a left
// and a right column, by hash-partitioning both sides — or, when one side is small (or marked with
// broadcast(df)), by shipping that side whole to every partition of the other.
import type { PartitionPlan } from '../engine/protocol.js';
import { col, type Column, type Expr } from './column.js';
import type { DataFrame } from './dataframe.js';
import { HASH_PARTITION } from './exchange.kernels.js';
import type { JoinPlan, JoinType, OutputColumn } from './join.kernels.js';
import { ExchangeNode, LogicalNode, StageNode } from './logical.js';
import { MATERIALIZE } from './kernels.js';
import { blockPlan } from './plan.js';
import { isNumeric, keyTypeError, StructType, sameType, typeName, type StructField } from './types.js';

type JoinSpec = Pick<JoinPlan, 'leftKeys' | 'rightKeys' | 'how' | 'output' | 'fields'>;

const HOW: Record<string, JoinType> = {
  inner: 'inner', left: 'left', leftouter: 'left', left_outer: 'left', right: 'right', rightouter: 'right', right_outer: 'right',
  full: 'full', outer: 'full', fullouter: 'full', full_outer: 'full', left_semi: 'left_semi', semi: 'left_semi', leftsemi: 'left_semi',
  left_anti: 'left_anti', anti: 'left_anti', leftanti: 'left_anti',
};

export const BROADCAST_THRESHOLD_KEY = 'quiver.sql.autoBroadcastJoinThreshold';
const DEFAULT_BROADCAST_THRESHOLD = 10 * 1024 * 1024; // Spark's 10 MB

/** The whole of a (small) DataFrame as one partition of shared blocks, computed once. */
class CollectedNode extends StageNode {
  get schema(): StructType { return this.child.schema; }
  constructor(readonly child: LogicalNode) { super(child.engine); }
  numPartitions(): number { return 1; }
  protected async run(): Promise<string[][]> {
    const results = await this.engine.runJob<{ buffer: SharedArrayBuffer }>(MATERIALIZE, await this.child.plans());
    return [results.map((r) => this.engine.putBlock(r.buffer))];
  }
}

export class JoinNode extends LogicalNode {
  constructor(readonly left: LogicalNode, readonly right: LogicalNode, readonly spec: JoinSpec,
    readonly schema: StructType, private readonly broadcastSide: 'left' | 'right' | null) { super(left.engine); }
  numPartitions(): number { return (this.broadcastSide === 'left' ? this.right : this.left).numPartitions(); }

  protected async compute(): Promise<PartitionPlan[]> {
    const [lp, rp] = await Promise.all([this.left.plans(), this.right.plans()]);
    const plan = (left: PartitionPlan, right: PartitionPlan): JoinPlan => ({ ...this.spec, kind: 'join', left, right });
    if (this.broadcastSide === 'right') return lp.map((l) => plan(l, rp[0]));
    if (this.broadcastSide === 'left') return rp.map((r) => plan(lp[0], r));
    return lp.map((l, i) => plan(l, rp[i]));
  }
}

export function join(left: DataFrame, right: DataFrame, on: string | string[] | Column, howName: string, broadcastHint: { left: boolean; right: boolean }): DataFrame {
  const how = HOW[howName.toLowerCase().replace(/\s+/g, '')];
  if (!how) throw new Error(`join: unsupported join type '${howName}'; supported: inner, left, right, full, left_semi, left_anti`);
  const ls = left.schema, rs = right.schema;
  let leftKeys: string[], rightKeys: string[];
  let output: OutputColumn[];
  if (typeof on === 'string' || Array.isArray(on)) {
    const names = typeof on === 'string' ? [on] : on;
    if (names.length === 0) throw new Error('join: give at least one key column');
    for (const n of names) {
      if (!ls.has(n)) throw new Error(`join: key column '${n}' does not exist on the left side. Available: [${ls.fieldNames.join(', ')}]`);
      if (!rs.has(n)) throw new Error(`join: key column '${n}' does not exist on the right side. Available: [${rs.fieldNames.join(', ')}]`);
    }
    leftKeys = names; rightKeys = names;
    const keyOut = names.map((n): OutputColumn => (how === 'full' ? { side: 'coalesce', left: n, right: n } : how === 'right' ? { side: 'right', name: n } : { side: 'left', name: n }));
    output = [...keyOut, ...ls.fieldNames.filter((n) => !names.includes(n)).map((name): OutputColumn => ({ side: 'left', name }))];
    if (how !== 'left_semi' && how !== 'left_anti') output.push(...rs.fieldNames.filter((n) => !names.includes(n)).map((name): OutputColumn => ({ side: 'right', name })));
  } else {
    [leftKeys, rightKeys] = equalities(on.expr, ls, rs);
    output = ls.fieldNames.map((name): OutputColumn => ({ side: 'left', name }));
    if (how !== 'left_semi' && how !== 'left_anti') output.push(...rs.fieldNames.map((name): OutputColumn => ({ side: 'right', name })));
  }
  // Keys must compare as one type; numeric keys of different widths are cast to double on both sides.
  let l = left, r = right;
  leftKeys.forEach((lk, i) => {
    const a = ls.field(lk).type, b = rs.field(rightKeys[i]).type;
    const err = keyTypeError('join', lk, a) ?? keyTypeError('join', rightKeys[i], b);
    if (err) throw err;
    if (sameType(a, b)) return;
    if (!isNumeric(a) || !isNumeric(b)) throw new Error(`join: key '${lk}' is ${typeName(a)} on the left but '${rightKeys[i]}' is ${typeName(b)} on the right`);
    l = l.withColumn(lk, col(lk).cast('double'));
    r = r.withColumn(rightKeys[i], col(rightKeys[i]).cast('double'));
  });
  const fields: StructField[] = output.map((o) => {
    if (o.side === 'coalesce') return { ...l.schema.field(o.left), nullable: l.schema.field(o.left).nullable && r.schema.field(o.right).nullable };
    const f = (o.side === 'left' ? l : r).schema.field(o.name);
    // The side that may be missing in an outer join makes its columns nullable.
    const outer = (o.side === 'left' && (how === 'right' || how === 'full')) || (o.side === 'right' && (how === 'left' || how === 'full'));
    return { ...f, nullable: f.nullable || outer };
  });
  const names = fields.map((f) => f.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`join: both sides have a column named '${dup}'; rename one side's column first (withColumnRenamed)`);

  const spec: JoinSpec = { leftKeys, rightKeys, how, output, fields };
  const schema = new StructType(fields);
  const side = broadcastSide(l, r, how, broadcastHint);
  if (side) {
    const small = new CollectedNode(side === 'right' ? r.node : l.node);
    const node = side === 'right' ? new JoinNode(l.node, small, spec, schema, 'right') : new JoinNode(small, r.node, spec, schema, 'left');
    return left.withNode(node);
  }
  const n = left.session.defaultParallelism;
  const lx = new ExchangeNode(l.node, HASH_PARTITION, { keys: leftKeys }, n);
  const rx = new ExchangeNode(r.node, HASH_PARTITION, { keys: rightKeys }, n);
  return left.withNode(new JoinNode(lx, rx, spec, schema, null));
}

/** Which side to broadcast: a hinted side, else a side known to be under the threshold; never the side an outer join must keep whole. */
function broadcastSide(l: DataFrame, r: DataFrame, how: JoinType, hint: { left: boolean; right: boolean }): 'left' | 'right' | null {
  const canRight = how === 'inner' || how === 'left' || how === 'left_semi' || how === 'left_anti';
  const canLeft = how === 'inner' || how === 'right';
  if (hint.right && canRight) return 'right';
  if (hint.left && canLeft) return 'left';
  const conf = (l.session as { conf?: { get(k: string): unknown } }).conf;
  const threshold = Number(conf?.get(BROADCAST_THRESHOLD_KEY) ?? conf?.get('spark.sql.autoBroadcastJoinThreshold') ?? DEFAULT_BROADCAST_THRESHOLD);
  if (threshold < 0) return null;
  if (canRight && r.node.knownSizeInBytes() <= threshold) return 'right';
  if (canLeft && l.node.knownSizeInBytes() <= threshold) return 'left';
  return null;
}

/** `a.eq(b).and(c.eq(d))` with each equality between a left-only and a right-only column. */
function equalities(e: Expr, ls: StructType, rs: StructType): [string[], string[]] {
  if (e.op === 'and') {
    const [a1, b1] = equalities(e.left, ls, rs), [a2, b2] = equalities(e.right, ls, rs);
    return [[...a1, ...a2], [...b1, ...b2]];
  }
  if (e.op === 'cmp' && e.fn === '==' && e.left.op === 'col' && e.right.op === 'col') {
    const a = e.left.name, b = e.right.name;
    const side = (n: string) => (ls.has(n) && rs.has(n) ? 'both' : ls.has(n) ? 'left' : rs.has(n) ? 'right' : 'none');
    for (const n of [a, b]) {
      if (side(n) === 'both') throw new Error(`join: column '${n}' exists on both sides, so the condition is ambiguous; rename it on one side or join on the name ('${n}')`);
      if (side(n) === 'none') throw new Error(`join: column '${n}' exists on neither side`);
    }
    if (side(a) === 'left' && side(b) === 'right') return [[a], [b]];
    if (side(a) === 'right' && side(b) === 'left') return [[b], [a]];
    throw new Error(`join: the condition must compare a left column with a right column, but '${a}' and '${b}' are on the same side`);
  }
  throw new Error('join: only equality conditions between a left and a right column, combined with and(), are supported');
}
