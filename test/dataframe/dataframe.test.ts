import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { broadcast, col, lit, when, Vectors, type DataFrame, type Row } from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

// Reference model: the same transformations on plain arrays of row objects.
const masters = ['inline', 'local', 'local[2]'] as const;
const session = useSessions(masters);

const schema = { a: 'int', b: 'double', s: 'string', f: 'boolean' };
const rowArb = fc.record({
  a: fc.option(fc.integer({ min: -50, max: 50 }), { nil: null }),
  b: fc.option(fc.oneof(fc.double({ noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.constant(Number.NaN), fc.constant(0)), { nil: null }).map((v) => (Object.is(v, -0) ? 0 : v)),
  s: fc.option(fc.string({ maxLength: 6 }), { nil: null }),
  f: fc.option(fc.boolean(), { nil: null }),
});
const rowsArb = fc.array(rowArb, { maxLength: 40 });
const partsArb = fc.integer({ min: 1, max: 7 });
const masterArb = fc.constantFrom(...masters);

const make = (master: string, rows: Row[], numPartitions: number): DataFrame =>
  session(master).createDataFrame(rows, { numPartitions, schema });

/** Spark's NaN-aware double comparison (NaN above everything, equal to itself). */
const cmpD = (x: number, y: number) => (Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : Number.isNaN(y) ? -1 : x < y ? -1 : x > y ? 1 : 0);

describe('transformations agree with a plain-array reference model', () => {
  it('filter with comparisons and Kleene logic', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, partsArb, masterArb, fc.integer({ min: -20, max: 20 }), async (rows, parts, master, k) => {
      const df = make(master, rows, parts).filter(col('a').gt(k).or(col('f')).and(col('b').isNull().not()));
      const kleeneOr = (x: boolean | null, y: boolean | null) => (x === true || y === true ? true : x === null || y === null ? null : false);
      const expected = rows.filter((r) => {
        const gt = r.a === null ? null : r.a > k;
        const left = kleeneOr(gt, r.f);
        return left === true && r.b !== null;
      });
      expect(await df.collect()).toEqual(expected);
    }), { numRuns: 25 });
  });

  it('withColumn arithmetic with null propagation, int wrap-around and division by zero', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, partsArb, masterArb, async (rows, parts, master) => {
      const df = make(master, rows, parts)
        .withColumn('sum', col('a').plus(col('b')))
        .withColumn('prod', col('a').times(col('a')).times(1000000))
        .withColumn('ratio', col('b').divide(col('a')))
        .withColumn('neg', col('a').negate());
      const expected = rows.map((r) => ({
        ...r,
        sum: r.a === null || r.b === null ? null : r.a + r.b,
        prod: r.a === null ? null : Math.imul(Math.imul(r.a, r.a), 1000000),
        ratio: r.a === null || r.b === null || r.a === 0 ? null : r.b / r.a,
        neg: r.a === null ? null : -r.a | 0,
      }));
      expect(await df.collect()).toEqual(expected);
      expect(df.schema.field('sum').type.kind).toBe('double');
      expect(df.schema.field('prod').type.kind).toBe('int');
    }), { numRuns: 25 });
  });

  it('NaN-aware comparisons, when/otherwise, casts', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, partsArb, masterArb, async (rows, parts, master) => {
      const df = make(master, rows, parts).select(
        col('b').ge(0).alias('nonneg'),
        col('b').eq(col('b')).alias('selfEq'),
        when(col('a').isNull(), -1).when(col('a').lt(0), 0).otherwise(col('a')).alias('clamped'),
        col('a').cast('string').alias('as'),
        col('s').cast('double').alias('sd'),
        col('f').cast('int').alias('fi'),
      );
      const expected = rows.map((r) => ({
        nonneg: r.b === null ? null : cmpD(r.b, 0) >= 0,
        selfEq: r.b === null ? null : true,
        clamped: r.a === null ? -1 : r.a < 0 ? 0 : r.a,
        as: r.a === null ? null : String(r.a),
        sd: r.s === null ? null : /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(r.s) ? Number(r.s) : null,
        fi: r.f === null ? null : r.f ? 1 : 0,
      }));
      const got = await df.collect();
      // Strings such as "NaN"/"Infinity" cast to doubles too; only compare where the reference has a plain number or null.
      expect(got.map((g, i) => ({ ...g, sd: expected[i].sd === null && g.sd !== null ? null : g.sd }))).toEqual(expected);
    }), { numRuns: 25 });
  });

  it('select, drop, withColumnRenamed keep values and order', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, partsArb, masterArb, async (rows, parts, master) => {
      const df = make(master, rows, parts).drop('f', 'missing').withColumnRenamed('s', 'name').select('name', 'a');
      expect(df.columns).toEqual(['name', 'a']);
      expect(await df.collect()).toEqual(rows.map((r) => ({ name: r.s, a: r.a })));
    }), { numRuns: 20 });
  });

  it('numPartitions() is known without running anything and is the number of partitions the plans have', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, partsArb, masterArb, fc.integer({ min: 1, max: 5 }), async (rows, parts, master, m) => {
      const a = make(master, rows, parts), b = make(master, rows, 2);
      // (The join's count depends on whether it broadcasts a side: only the agreement is checked.)
      const frames: [DataFrame, number | null][] = [
        [a, parts], [a.filter(col('a').gt(0)).select('a', 'b'), parts], [a.limit(3), 1], [a.union(b), parts + 2], [a.coalesce(m), Math.min(m, parts)],
        [a.repartition(m), m], [a.repartition(m, 's'), m], [a.groupBy('s').count(), a.session.defaultParallelism],
        [a.orderBy('b'), a.session.defaultParallelism], [a.join(b.select(col('a'), col('b').alias('b2')), 'a'), null], [broadcast(a).join(b.select('a'), 'a', 'inner'), 2], [a.describe(), 1],
        [a.sample(0.5, 1), parts], [a.cache(), parts],
      ];
      for (const [df, n] of frames) {
        if (n !== null) expect(df.numPartitions()).toBe(n);
        expect((await df.plans()).length).toBe(df.numPartitions());
      }
      a.unpersist();
    }), { numRuns: 10 });
  });

  it('limit, union, coalesce keep partition order; repartition keeps the multiset', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, rowsArb, partsArb, masterArb, fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 5 }), async (r1, r2, parts, master, n, m) => {
      const a = make(master, r1, parts), b = make(master, r2, 3);
      expect(await a.limit(n).collect()).toEqual(r1.slice(0, n));
      expect(await a.take(n)).toEqual(r1.slice(0, n));
      expect(await a.union(b).collect()).toEqual([...r1, ...r2]);
      expect(await a.coalesce(m).collect()).toEqual(r1);
      expect(a.coalesce(m).numPartitions()).toBe(Math.min(m, parts));
      const shuffled = a.repartition(m);
      expect(shuffled.numPartitions()).toBe(m);
      const key = (r: Row) => JSON.stringify(r);
      expect((await shuffled.collect()).map(key).sort()).toEqual(r1.map(key).sort());
      expect(await a.count()).toBe(r1.length);
    }), { numRuns: 20 });
  });

  it('randomSplit puts every row in exactly one split, and sample is reproducible', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, partsArb, masterArb, fc.integer(), async (rows, parts, master, seed) => {
      const df = make(master, rows.map((r, i) => ({ ...r, a: i })), parts);
      const splits = await Promise.all(df.randomSplit([1, 2, 3], seed).map((s) => s.collect()));
      const ids = splits.flat().map((r) => r.a as number).sort((x, y) => x - y);
      expect(ids).toEqual(rows.map((_, i) => i));
      const s1 = await df.sample(0.5, seed).collect();
      const s2 = await make('inline', rows.map((r, i) => ({ ...r, a: i })), parts).sample(0.5, seed).collect();
      expect(s1).toEqual(s2);
    }), { numRuns: 15 });
  });
});

describe('every master and caching give identical results', () => {
  it('for a chain of transformations', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, partsArb, async (rows, parts) => {
      const results = [];
      for (const m of masters) {
        const base = make(m, rows, parts).withColumn('c', col('b').times(2).minus(col('a')));
        const cached = base.filter(col('c').isNotNull()).cache();
        const first = await cached.collect();
        const second = await cached.collect();
        expect(second).toEqual(first);
        results.push(first);
        cached.unpersist();
      }
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
    }), { numRuns: 10 });
  });
});

describe('vectors, schemas and output', () => {
  it('round-trips dense and sparse vector columns with nulls', async () => {
    const spark = session('local[2]');
    const rows = [
      { id: 0, v: Vectors.dense([1, 2, 3]), sv: Vectors.sparse(4, [1, 3], [5, 6]) },
      { id: 1, v: null, sv: Vectors.dense([0, 7, 0, 0]) },
      { id: 2, v: Vectors.dense([4, 5, 6]), sv: null },
    ];
    const df = spark.createDataFrame(rows, { numPartitions: 2 });
    expect(df.schema.field('v').type).toEqual({ kind: 'vector', encoding: 'dense', size: 3 });
    expect(df.schema.field('sv').type).toEqual({ kind: 'vector', encoding: 'sparse' });
    const got = await df.filter(col('id').ge(0)).collect();
    expect(got[0].v!.toString()).toBe('[1.0,2.0,3.0]');
    expect(got[1].v).toBeNull();
    expect(got[0].sv!.toString()).toBe('(4,[1,3],[5.0,6.0])');
    expect(got[1].sv!.toString()).toBe('(4,[1],[7.0])');
    expect(got[2].sv).toBeNull();
    const table = await df.toArrow();
    expect(table.numRows).toBe(3);
    expect(Array.from(table.getChild('v')!.data[0].children[0].values as Float64Array).slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('show prints an aligned table as Spark does', async () => {
    const df = session('inline').createDataFrame([{ a: 1, b: 2.5, s: 'hello' }, { a: 22, b: 1e8, s: null }], { numPartitions: 1 });
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => { out.push(chunk); return true; }) as typeof process.stdout.write;
    try { await df.show(1); } finally { process.stdout.write = write; }
    expect(out.join('')).toBe([
      '+---+---+-----+',
      '|  a|  b|    s|',
      '+---+---+-----+',
      '|  1|2.5|hello|',
      '+---+---+-----+',
      'only showing top 1 row',
      '',
    ].join('\n'));
  });

  it('first() and an empty DataFrame', async () => {
    const spark = session('local');
    const empty = spark.createDataFrame([], { schema: { x: 'double' } });
    expect(await empty.count()).toBe(0);
    expect(await empty.first()).toBeUndefined();
    expect((await empty.toArrow()).numRows).toBe(0);
    expect(await spark.createDataFrame([{ x: 1.5 }]).first()).toEqual({ x: 1.5 });
  });
});

describe('bad input names what was wrong', () => {
  const spark = () => session('inline');
  const df = () => spark().createDataFrame([{ a: 1, s: 'x' }]);

  it('unknown columns', () => {
    expect(() => df().select('nope')).toThrow("Column 'nope' does not exist. Available columns: [a, s]");
    expect(() => df().filter(col('zz').gt(1))).toThrow(/Column 'zz' does not exist/);
    expect(() => df().withColumn('b', col('q').plus(1))).toThrow(/Column 'q'/);
  });

  it('expressions of the wrong type', () => {
    expect(() => df().select(col('s').plus(1))).toThrow("cannot resolve '(s + 1)' due to data type mismatch: '+' requires numeric operands, but 's' is string");
    expect(() => df().filter(col('a').plus(1))).toThrow("filter expression '(a + 1)' is of type int, not boolean");
    expect(() => df().select(col('a').gt(col('s')))).toThrow(/cannot compare int with string/);
    expect(() => df().select(col('a').and(true))).toThrow(/requires boolean operands, but 'a' is int/);
  });

  it('rows that do not match the schema', () => {
    expect(() => spark().createDataFrame([{ a: 1 }, { a: 'two' }], { schema: { a: 'int' } })).toThrow("createDataFrame: column 'a' is int but row 1 holds string \"two\"");
    expect(() => spark().createDataFrame([{ a: 1 }, { a: 'two' }])).toThrow(/column 'a' mixes double and string values \(row 1\)/);
    expect(() => spark().createDataFrame([{ d: new Date() }])).toThrow(/cannot infer a type for column 'd' from row 0/);
  });

  it('bad arguments', () => {
    expect(() => df().limit(-1)).toThrow(/limit: expected a non-negative integer but got -1/);
    expect(() => df().repartition(0)).toThrow(/repartition: the number of partitions must be a positive integer/);
    expect(() => df().randomSplit([-1, 2])).toThrow(/randomSplit: weights must be non-negative/);
    expect(() => df().sample(1.5)).toThrow(/sample: fraction must be in \[0, 1\]/);
    expect(() => df().union(spark().createDataFrame([{ a: 1 }]))).toThrow(/union: DataFrames have 2 and 1 columns/);
  });
});
