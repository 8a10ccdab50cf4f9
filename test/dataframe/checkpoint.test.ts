// df.checkpoint / df.localCheckpoint: the rows stay the same, the lineage is cut. The seed's
// concern: a 500-step iterative loop whose plan grows by one node per step; with a checkpoint every
// 50 steps the plan stays small. Expected values: the closed form of the loop (x + steps).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { col, Vectors, type DataFrame } from '../../src/index.js';
import { childNodes, type LogicalNode } from '../../src/dataframe/logical.js';
import { useSessions } from '../helpers/sessions.js';

const session = useSessions(['local[2]', 'inline']);
let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'quiver-checkpoint-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const planSize = (node: LogicalNode): number => 1 + childNodes(node).reduce((s, c) => s + planSize(c), 0);
const frame = (m: string) => session(m).createDataFrame(Array.from({ length: 200 }, (_, i) => ({ id: i, x: i * 0.5, v: Vectors.dense([i, -i]) })), { numPartitions: 3 });

async function loop(df: DataFrame, steps: number, every: number, cut: (d: DataFrame) => Promise<DataFrame>): Promise<{ df: DataFrame; maxPlan: number; seconds: number }> {
  const t0 = performance.now();
  let maxPlan = 0;
  for (let s = 1; s <= steps; s++) {
    df = df.withColumn('x', col('x').plus(1));
    if (every > 0 && s % every === 0) df = await cut(df);
    maxPlan = Math.max(maxPlan, planSize(df.node));
  }
  await df.count();
  return { df, maxPlan, seconds: (performance.now() - t0) / 1000 };
}

describe('checkpoint and localCheckpoint', () => {
  for (const m of ['local[2]', 'inline']) {
    it(`keep the rows and cut the lineage (${m})`, async () => {
      const df = frame(m).filter(col('id').mod(7).ne(3));
      const expected = await df.collect();
      const local = await df.localCheckpoint();
      expect(planSize(local.node)).toBe(1);
      expect(await local.collect()).toEqual(expected);
      session(m).sparkContext.setCheckpointDir(join(dir, m));
      const reliable = await df.checkpoint();
      expect(planSize(reliable.node)).toBe(1);
      expect(await reliable.collect()).toEqual(expected);
      expect((await readdir(join(dir, m))).length).toBe(1); // one directory of Arrow files per checkpoint
      const lazy = await df.checkpoint(false);
      expect((await readdir(join(dir, m))).length).toBe(1); // nothing written before an action
      expect(await lazy.count()).toBe(expected.length);
      expect((await readdir(join(dir, m))).length).toBe(2);
    });
  }

  it('keep a 500-step loop\'s plan from growing, with the same result', async () => {
    const base = frame('local[2]');
    const plain = await loop(base, 500, 0, async (d) => d);
    const cut = await loop(base, 500, 50, (d) => d.localCheckpoint());
    expect(plain.maxPlan).toBeGreaterThan(500);
    expect(cut.maxPlan).toBeLessThanOrEqual(51);
    const rows = await cut.df.select('id', 'x').collect();
    expect(rows).toEqual(await plain.df.select('id', 'x').collect());
    expect(rows.every((r) => r.x === (r.id as number) * 0.5 + 500)).toBe(true);
    console.log(`500 steps: plan of ${plain.maxPlan} nodes in ${plain.seconds.toFixed(2)} s without checkpoints; ${cut.maxPlan} with a localCheckpoint every 50 steps, ${cut.seconds.toFixed(2)} s`);
  }, 120_000);

  it('names what is missing when no checkpoint directory is set', async () => {
    const s = session('inline');
    const saved = s.checkpointDir;
    s.checkpointDir = undefined;
    try {
      await expect(frame('inline').checkpoint()).rejects.toThrow(/Checkpoint directory has not been set in the SparkContext/);
    } finally {
      s.checkpointDir = saved;
    }
  });
});
