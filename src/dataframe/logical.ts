// The lineage of a DataFrame: each node knows its schema and how to produce one partition plan per
// output partition. Narrow operations compose plans; stage boundaries (repartition, limit) run a
// job first and keep its output as shared blocks for as long as the node lives.
import type { EngineContext } from '../engine/context.js';
import type { PartitionPlan } from '../engine/protocol.js';
import type { Expr } from './column.js';
import { CacheState, type StorageLevel } from './storage.js';
import { blockPlan, type MapPlan, type ConcatPlan, type EmptyPlan, type FilterPlan, type ProjectPlan, type SamplePlan } from './plan.js';
import { TAKE } from './kernels.js';
import type { Pieces } from './exchange.kernels.js';
import type { StructField, StructType } from './types.js';
import { batchFromShared, batchToShared } from '../engine/blocks.js';
import { sliceRows } from './batch.js';

function trimBlock(schema: StructType, buffer: SharedArrayBuffer, rows: number): SharedArrayBuffer {
  return batchToShared(sliceRows(schema, batchFromShared(buffer), 0, rows));
}

export abstract class LogicalNode {
  abstract readonly schema: StructType;
  cache: CacheState | null = null;

  constructor(readonly engine: EngineContext) {}

  protected abstract compute(): Promise<PartitionPlan[]>;

  /** How many partitions this node has, known without running anything (Spark's getNumPartitions). */
  abstract numPartitions(): number;

  plans(): Promise<PartitionPlan[]> {
    return this.cache ? this.cache.plans(() => this.compute()) : this.compute();
  }

  persist(level: StorageLevel): void {
    if (this.cache && this.cache.level !== level) {
      throw new Error(`Cannot change the storage level of a DataFrame from ${this.cache.level} to ${level}; unpersist it first`);
    }
    this.cache ??= new CacheState(level, this.engine);
  }

  unpersist(): void {
    this.cache?.release();
    this.cache = null;
  }

  /** Bytes if known without running anything (materialised blocks), else Infinity. */
  knownSizeInBytes(): number {
    return this.cache?.materializedBytes() ?? this.sourceBytes();
  }

  protected sourceBytes(): number { return Infinity; }

  /** True for the leaf of a streaming source (src/streaming): a DataFrame over one runs only as a streaming query. */
  get isStreamingSource(): boolean { return false; }
}

/** A DataFrame as a node field holds it (duck-typed: this module cannot import dataframe.ts). */
interface FrameField { node: LogicalNode; withNode(node: LogicalNode): unknown }
const isFrameField = (v: unknown): v is FrameField =>
  v !== null && typeof v === 'object' && (v as FrameField).node instanceof LogicalNode && typeof (v as FrameField).withNode === 'function';

/** The nodes `node` reads from: its fields holding a node, an array of nodes or a DataFrame. */
export function childNodes(node: LogicalNode): LogicalNode[] {
  const out: LogicalNode[] = [];
  for (const v of Object.values(node)) {
    if (v instanceof LogicalNode) out.push(v);
    else if (Array.isArray(v)) out.push(...v.filter((x): x is LogicalNode => x instanceof LogicalNode));
    else if (isFrameField(v)) out.push(v.node);
  }
  return out;
}

/** True when the lineage reads a streaming source. */
export function isStreamingPlan(node: LogicalNode): boolean {
  return node.isStreamingSource || childNodes(node).some(isStreamingPlan);
}

/**
 * A copy of `node` reading `map(child)` for each of its inputs. The copy shares nothing computed:
 * no cache, and a stage's output is not carried over, so it runs afresh on the new inputs (the
 * streaming layer rebuilds a query's plan this way for every micro-batch).
 */
export function withNewChildren(node: LogicalNode, map: (child: LogicalNode) => LogicalNode): LogicalNode {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(node) as object) as LogicalNode, node);
  const fields = copy as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(node)) {
    if (v instanceof LogicalNode) fields[k] = map(v);
    else if (Array.isArray(v) && v.some((x) => x instanceof LogicalNode)) fields[k] = v.map((x: unknown) => (x instanceof LogicalNode ? map(x) : x));
    else if (isFrameField(v)) fields[k] = v.withNode(map(v.node));
  }
  copy.cache = null;
  if (copy instanceof StageNode) copy.forgetOutput();
  return copy;
}

/** Partitions that already exist (blocks built by createDataFrame) or come from files. */
export class SourceNode extends LogicalNode {
  constructor(engine: EngineContext, readonly schema: StructType, private readonly partitions: number,
    private readonly source: () => Promise<PartitionPlan[]>, private readonly bytes = Infinity) { super(engine); }
  protected compute(): Promise<PartitionPlan[]> { return this.source(); }
  numPartitions(): number { return this.partitions; }
  protected override sourceBytes(): number { return this.bytes; }
}

export class ProjectNode extends LogicalNode {
  readonly schema: StructType;
  constructor(readonly child: LogicalNode, private readonly exprs: Expr[], schema: StructType) { super(child.engine); this.schema = schema; }
  numPartitions(): number { return this.child.numPartitions(); }
  protected async compute(): Promise<PartitionPlan[]> {
    const fields = this.schema.fields as StructField[];
    return (await this.child.plans()).map((child): ProjectPlan => ({ kind: 'project', child, exprs: this.exprs, fields }));
  }
}

/** Appends columns computed by a registered mapper (see mappers.ts). */
export class MapNode extends LogicalNode {
  constructor(readonly child: LogicalNode, private readonly mapper: string, private readonly params: unknown, readonly schema: StructType,
    private readonly stage: string | null = null) { super(child.engine); }
  numPartitions(): number { return this.child.numPartitions(); }
  protected async compute(): Promise<PartitionPlan[]> {
    const fields = this.schema.fields as StructField[];
    const stage = this.stage ? { stage: this.stage } : {};
    return (await this.child.plans()).map((child): MapPlan => ({ kind: 'map', child, mapper: this.mapper, params: this.params, fields, ...stage }));
  }
}

export class FilterNode extends LogicalNode {
  get schema(): StructType { return this.child.schema; }
  constructor(readonly child: LogicalNode, private readonly cond: Expr) { super(child.engine); }
  numPartitions(): number { return this.child.numPartitions(); }
  protected async compute(): Promise<PartitionPlan[]> {
    return (await this.child.plans()).map((child): FilterPlan => ({ kind: 'filter', child, cond: this.cond }));
  }
}

export class SampleNode extends LogicalNode {
  get schema(): StructType { return this.child.schema; }
  constructor(readonly child: LogicalNode, private readonly lb: number, private readonly ub: number,
    private readonly withReplacement: boolean, private readonly seed: number) { super(child.engine); }
  numPartitions(): number { return this.child.numPartitions(); }
  protected async compute(): Promise<PartitionPlan[]> {
    return (await this.child.plans()).map((child, partition): SamplePlan => ({
      kind: 'sample', child, lb: this.lb, ub: this.ub, withReplacement: this.withReplacement, seed: this.seed, partition,
    }));
  }
}

export class UnionNode extends LogicalNode {
  get schema(): StructType { return this.children[0].schema; }
  constructor(private readonly children: LogicalNode[]) { super(children[0].engine); }
  numPartitions(): number { return this.children.reduce((s, c) => s + c.numPartitions(), 0); }
  protected async compute(): Promise<PartitionPlan[]> {
    return (await Promise.all(this.children.map((c) => c.plans()))).flat();
  }
}

/** Merges adjacent partitions without a shuffle, as Spark's coalesce. */
export class CoalesceNode extends LogicalNode {
  get schema(): StructType { return this.child.schema; }
  constructor(readonly child: LogicalNode, private readonly n: number) { super(child.engine); }
  numPartitions(): number { return Math.min(this.n, this.child.numPartitions()); }
  protected async compute(): Promise<PartitionPlan[]> {
    const plans = await this.child.plans();
    if (plans.length <= this.n) return plans;
    const fields = this.schema.fields as StructField[];
    const out: ConcatPlan[] = [];
    for (let j = 0; j < this.n; j++) {
      const from = Math.floor((j * plans.length) / this.n), to = Math.floor(((j + 1) * plans.length) / this.n);
      out.push({ kind: 'concat', children: plans.slice(from, to), fields });
    }
    return out;
  }
}

export abstract class StageNode extends LogicalNode {
  private output: Promise<PartitionPlan[]> | null = null;
  protected abstract run(): Promise<string[][]>;
  /** Drops the computed output of a copy (see withNewChildren). */
  forgetOutput(): void { this.output = null; }
  protected compute(): Promise<PartitionPlan[]> {
    this.output ??= this.run().then((groups) => {
      this.engine.holdBlocks(this, groups.flat());
      const fields = this.schema.fields as StructField[];
      return groups.map((ids): PartitionPlan => (ids.length === 1 ? blockPlan(ids[0])
        : ids.length === 0 ? ({ kind: 'empty', fields } satisfies EmptyPlan)
          : ({ kind: 'concat', children: ids.map(blockPlan), fields } satisfies ConcatPlan)));
    }).catch((e) => { this.output = null; throw e; });
    return this.output;
  }
}

/**
 * A shuffle: `kernel` splits every child partition into n pieces (round robin, hash of keys, key
 * ranges, partial aggregates); reduce partition j is piece j of every map partition, in order.
 */
export class ExchangeNode extends StageNode {
  readonly schema: StructType;
  constructor(readonly child: LogicalNode, private readonly kernel: string, protected params: unknown,
    private readonly n: number, schema?: StructType) { super(child.engine); this.schema = schema ?? child.schema; }
  numPartitions(): number { return this.n; }
  protected async run(): Promise<string[][]> {
    const pieces = await this.engine.runJob<Pieces>(this.kernel, await this.child.plans(), { ...(this.params as object), n: this.n });
    const groups: string[][] = Array.from({ length: this.n }, () => []);
    for (const parts of pieces) parts.forEach((buf, j) => { if (buf) groups[j].push(this.engine.putBlock(buf)); });
    return groups;
  }
}

/** The first n rows, in partition order, scanning partitions in growing waves as Spark's take. */
export class LimitNode extends StageNode {
  get schema(): StructType { return this.child.schema; }
  constructor(readonly child: LogicalNode, private readonly n: number) { super(child.engine); }
  numPartitions(): number { return 1; }
  protected async run(): Promise<string[][]> {
    const plans = await this.child.plans();
    const ids: string[] = [];
    let remaining = this.n, scanned = 0, wave = 1;
    while (remaining > 0 && scanned < plans.length) {
      const batch = plans.slice(scanned, scanned + wave);
      const results = await this.engine.runJob<{ buffer: SharedArrayBuffer; rows: number }>(TAKE, batch, { n: remaining });
      for (const r of results) {
        if (remaining <= 0 || r.rows === 0) continue;
        // Partitions of one wave were asked for the same count; trim the ones past the limit.
        const buffer = r.rows > remaining ? trimBlock(this.schema, r.buffer, remaining) : r.buffer;
        ids.push(this.engine.putBlock(buffer));
        remaining -= Math.min(r.rows, remaining);
      }
      scanned += batch.length;
      wave *= 4;
    }
    return [ids];
  }
}
