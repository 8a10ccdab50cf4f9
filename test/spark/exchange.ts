// The two directions of model exchange with Spark, for a test file's driver, scratch paths and
// table (the same rows as the driver's `T`): Spark saves → Quiver loads, Quiver saves → Spark loads.
import { expect } from 'vitest';

import { load, type DataFrame, type Row } from '../../src/index.js';
import type { Params } from '../../src/pipeline/params.js';
import { expectSameParamValues, expectSameRows, measured, type Tolerance } from './data.js';
import type { SparkDriver } from './harness.js';

interface Exchange { uid: string; params: Record<string, unknown>; rows: Row[] }
type Loader<T> = { load(path: string): Promise<T>; sparkClassName: string };
type Transformer = Params & { transform(df: DataFrame): DataFrame };

export function exchanges(spark: () => SparkDriver, fresh: (name: string) => string, table: () => Promise<DataFrame>) {
  /**
   * Spark builds `stage` (Python, fitted or not) and saves it; Quiver loads it with the class's load
   * and with the generic load; both have Spark's uid and params, and give Spark's `columns` on T.
   */
  async function sparkSavesQuiverLoads<T extends Transformer>(python: string, cls: Loader<T>, columns: string[], tol: Tolerance): Promise<T> {
    const path = fresh('spark-saved');
    const saved = await spark().run<Exchange>(`${python}\nresult = saved_by_spark(stage, args['path'], T, args['columns'])`, { path, columns });
    const ours = await cls.load(path);
    const generic = await load<T>(path);
    expect(generic.constructor).toBe(ours.constructor);
    let worst = 0;
    for (const stage of [ours, generic]) {
      expect(stage.uid).toBe(saved.uid);
      expectSameParamValues(stage, saved.params);
      worst = Math.max(worst, expectSameRows(await stage.transform(await table()).select('id', ...columns).collect(), saved.rows, 'id', columns, tol));
    }
    measured(cls.sparkClassName, `Spark saves, Quiver loads (${columns.join(', ')})`, worst);
    return ours;
  }

  /**
   * Quiver saves `stage`; Spark loads it with the Spark class's load and gives Quiver's `columns` on T.
   * The stage Spark loaded stays in the driver as `loaded` (oracle.py) for the caller's checks.
   */
  async function quiverSavesSparkLoads(stage: Transformer & { save(path: string): Promise<void> }, columns: string[], tol: Tolerance): Promise<void> {
    const path = fresh('quiver-saved');
    await stage.save(path);
    const className = (stage.constructor as unknown as { sparkClassName: string }).sparkClassName;
    const loaded = await spark().run<Exchange>(`result = loaded_by_spark(args['cls'], args['path'], T, args['columns'])`, { cls: className, path, columns });
    expect(loaded.uid).toBe(stage.uid);
    expectSameParamValues(stage, loaded.params);
    const worst = expectSameRows(await stage.transform(await table()).select('id', ...columns).collect(), loaded.rows, 'id', columns, tol);
    measured(className, `Quiver saves, Spark loads (${columns.join(', ')})`, worst);
  }

  return { sparkSavesQuiverLoads, quiverSavesSparkLoads };
}
