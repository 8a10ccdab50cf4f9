// Storage levels and the state of a cached DataFrame node: its partitions as shared-memory blocks.
import type { BlockPolicy } from '../engine/block-manager.js';
import type { EngineContext } from '../engine/context.js';
import type { PartitionPlan } from '../engine/protocol.js';
import { MATERIALIZE } from './kernels.js';
import { blockPlan } from './plan.js';

export class StorageLevel {
  private constructor(readonly name: string, readonly useMemory: boolean, readonly useDisk: boolean) {}
  static readonly NONE = new StorageLevel('NONE', false, false);
  static readonly MEMORY_ONLY = new StorageLevel('MEMORY_ONLY', true, false);
  static readonly MEMORY_AND_DISK = new StorageLevel('MEMORY_AND_DISK', true, true);
  static readonly DISK_ONLY = new StorageLevel('DISK_ONLY', false, true);
  toString(): string { return this.name; }

  /** What the block store may do with this level's blocks under memory pressure. */
  get policy(): BlockPolicy { return !this.useDisk ? 'drop' : this.useMemory ? 'spill' : 'disk'; }
}

export class CacheState {
  private blocks: string[] | null = null;
  private pending: Promise<PartitionPlan[]> | null = null;

  constructor(readonly level: StorageLevel, private readonly engine: EngineContext) {}

  get isMaterialized(): boolean { return this.blocks !== null; }

  private lineage: PartitionPlan[] | null = null;

  /**
   * Block plans of the cached partitions, materialising them on first use (as Spark does, lazily).
   * A MEMORY_ONLY block dropped under memory pressure is recomputed from its lineage, carried in the plan.
   */
  plans(compute: () => Promise<PartitionPlan[]>): Promise<PartitionPlan[]> {
    if (this.blocks) return Promise.resolve(this.blockPlans());
    if (!this.pending) {
      this.pending = (async () => {
        const source = await compute();
        const results = await this.engine.runJob<{ buffer: SharedArrayBuffer }>(MATERIALIZE, source);
        this.lineage = this.level.policy === 'drop' ? source : null;
        this.blocks = results.map((r) => this.engine.putBlock(r.buffer, this.level.policy));
        return this.blockPlans();
      })().finally(() => { this.pending = null; });
    }
    return this.pending;
  }

  private blockPlans(): PartitionPlan[] {
    return this.blocks!.map((id, i) => (this.lineage ? { ...blockPlan(id), lineage: this.lineage[i] } : blockPlan(id)));
  }

  /** Bytes of the cached blocks once materialised, else null. */
  materializedBytes(): number | null {
    return this.blocks ? this.blocks.reduce((s, id) => s + this.engine.blockBytesOf(id), 0) : null;
  }

  release(): void {
    if (this.blocks) this.engine.releaseBlocks(this.blocks);
    this.blocks = null;
    this.lineage = null;
  }
}
