// Temporary views and spark.catalog: register, replace, fail on an existing name with Spark's
// error, global views under global_temp, list, drop, spark.table, and one catalog per session.
import { describe, expect, it } from 'vitest';
import { col, Session } from '../../../src/index.js';
import { MASTERS, PEOPLE } from './cases.js';
import { useSessions } from '../../helpers/sessions.js';

const session = useSessions(MASTERS);

describe('temporary views', () => {
  for (const m of MASTERS) {
    it(`createOrReplaceTempView, spark.table and replacing a view (${m})`, async () => {
      const spark = session(m);
      const people = spark.createDataFrame(PEOPLE, { numPartitions: 2 });
      people.createOrReplaceTempView('cat_people');
      expect(await spark.table('cat_people').count()).toBe(PEOPLE.length);
      // Names are case-insensitive, as Spark's by default.
      expect(await spark.sql('SELECT id FROM CAT_PEOPLE WHERE id = 3').collect()).toEqual([{ id: 3 }]);
      // A view is the DataFrame's lineage: replacing it changes what queries read.
      people.filter(col('age').gt(40)).createOrReplaceTempView('cat_people');
      expect((await spark.sql('SELECT id FROM cat_people ORDER BY id').collect()).map((r) => r.id)).toEqual([4, 6, 10]);
    });

    it(`createTempView fails on an existing name with Spark's error (${m})`, () => {
      const spark = session(m);
      const df = spark.createDataFrame([{ a: 1 }]);
      df.createTempView('cat_once');
      expect(() => df.createTempView('cat_once')).toThrow('[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view `cat_once` because it already exists');
      expect(() => df.createTempView('CAT_ONCE')).toThrow('TEMP_TABLE_OR_VIEW_ALREADY_EXISTS');
      expect(() => df.createTempView('not a name')).toThrow('a view name must be an identifier');
    });

    it(`global temp views live under global_temp (${m})`, async () => {
      const spark = session(m);
      spark.createDataFrame([{ a: 1 }, { a: 2 }]).createOrReplaceGlobalTempView('cat_global');
      expect(await spark.sql('SELECT sum(a) AS s FROM global_temp.cat_global').collect()).toEqual([{ s: 3 }]);
      expect(await spark.table('global_temp.cat_global').count()).toBe(2);
      expect(() => spark.sql('SELECT * FROM cat_global')).toThrow(/TABLE_OR_VIEW_NOT_FOUND.*`cat_global`.*global_temp\.cat_global/);
      expect(() => spark.createDataFrame([{ a: 1 }]).createGlobalTempView('cat_global')).toThrow('`global_temp.cat_global` because it already exists');
    });

    it(`listTables, dropTempView and dropGlobalTempView (${m})`, async () => {
      const spark = Session.builder().master(m).create(); // a fresh session: an empty catalog
      try {
        expect(spark.catalog.listTables()).toEqual([]);
        const df = spark.createDataFrame([{ a: 1 }]);
        df.createOrReplaceTempView('zeta');
        df.createOrReplaceTempView('alpha');
        df.createOrReplaceGlobalTempView('gamma');
        expect(spark.catalog.listTables().map((t) => t.name)).toEqual(['alpha', 'zeta']);
        expect(spark.catalog.listTables()[0]).toEqual({ name: 'alpha', catalog: null, namespace: [], description: null, tableType: 'TEMPORARY', isTemporary: true });
        // Spark lists the global views with the session's under global_temp.
        expect(spark.catalog.listTables('global_temp').map((t) => [t.namespace.join('.'), t.name])).toEqual([['', 'alpha'], ['', 'zeta'], ['global_temp', 'gamma']]);
        expect(() => spark.catalog.listTables('nowhere')).toThrow('[SCHEMA_NOT_FOUND]');
        expect(spark.catalog.tableExists('alpha')).toBe(true);
        expect(spark.catalog.dropTempView('alpha')).toBe(true);
        expect(spark.catalog.dropTempView('alpha')).toBe(false);
        expect(spark.catalog.tableExists('alpha')).toBe(false);
        expect(() => spark.table('alpha')).toThrow('[TABLE_OR_VIEW_NOT_FOUND] The table or view `alpha` cannot be found. Available: [zeta, global_temp.gamma]');
        expect(spark.catalog.dropGlobalTempView('gamma')).toBe(true);
        expect(spark.catalog.listTables('global_temp').map((t) => t.name)).toEqual(['zeta']);
      } finally {
        await spark.stop();
      }
    });
  }

  it('each session has its own catalog', async () => {
    const a = Session.builder().master('inline').create(), b = Session.builder().master('inline').create();
    try {
      a.createDataFrame([{ x: 1 }]).createOrReplaceTempView('mine');
      expect(a.catalog.tableExists('mine')).toBe(true);
      expect(b.catalog.tableExists('mine')).toBe(false);
      expect(() => b.sql('SELECT * FROM mine')).toThrow('`mine` cannot be found');
    } finally {
      await a.stop(); await b.stop();
    }
  });
});
