// Reading and writing JSON lines: Spark's schema inference (with nested objects flattened into
// dotted columns), given schemas, malformed-record modes with errors naming file and line, the
// lexer's leniencies, byte-range splits, multiLine documents, and the writer's exact output.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  StructType, Vectors, SparseVector, col, denseVectorType, SparseVectorType, type DataFrame,
} from '../../src/index.js';
import { parseJson } from '../../src/dataframe/io/json-parse.js';
import { DEFAULT_JSON_OPTIONS } from '../../src/dataframe/io/json-options.js';
import { batchToRows } from '../../src/dataframe/rows.js';
import { useSparkAndInline } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';

const { spark, inline } = useSparkAndInline();
const { freshDir, file } = useTempDir('quiver-io-json-');

const lines = (...ls: string[]) => ls.join('\n') + '\n';
const types = (df: DataFrame) => Object.fromEntries(df.dtypes);
const partFiles = (d: string) => fs.readdirSync(d).filter((f) => f.startsWith('part-')).sort();
const readParts = (d: string) => partFiles(d).map((f) => fs.readFileSync(path.join(d, f), 'utf8')).join('');

describe('schema inference (Spark rules)', () => {
  it('ints, longs, doubles, booleans and strings; integers widen to double; other conflicts give string; null-only is string', async () => {
    const p = file('t.json', lines(
      '{"i":1,"l":1,"d":1,"b":true,"s":"x","n":null,"mix":1,"w":1}',
      '{"i":-2,"l":5000000000,"d":2.5,"b":false,"s":"y","n":null,"mix":true,"w":"a"}',
      '{"i":2147483647,"l":-9007199254740993,"d":1e3}',
    ));
    for (const session of [spark(), inline()]) {
      const df = await session.read.json(p);
      // Spark sorts inferred fields by name.
      expect(df.columns).toEqual(['b', 'd', 'i', 'l', 'mix', 'n', 's', 'w']);
      expect(types(df)).toEqual({ b: 'boolean', d: 'double', i: 'int', l: 'long', mix: 'string', n: 'string', s: 'string', w: 'string' });
      const rows = await df.collect();
      expect(rows.map((r) => r.l)).toEqual([1, 5000000000, -9007199254740993n]); // exact beyond 2^53
      expect(rows.map((r) => r.d)).toEqual([1, 2.5, 1000]);
      expect(rows.map((r) => r.mix)).toEqual(['1', 'true', null]); // a string column keeps the JSON text
      expect(rows.map((r) => r.w)).toEqual(['1', 'a', null]);
    }
  });

  it('integers beyond 64 bits infer as double; a fraction or exponent makes a double', async () => {
    const p = file('big.json', lines('{"a":123456789012345678901234,"b":1.0,"c":1E2}'));
    const df = await spark().read.json(p);
    expect(types(df)).toEqual({ a: 'double', b: 'double', c: 'double' });
    expect(await df.collect()).toEqual([{ a: 1.2345678901234568e23, b: 1, c: 100 }]);
  });

  it('flattens nested objects into dotted columns (sorted at every level) and keeps arrays as JSON text', async () => {
    const p = file('nested.json', lines(
      '{"name":"Ann","address":{"zip":"0150","city":"Oslo","geo":{"lat":59.9,"lon":10.7}},"tags":["a", "b"]}',
      '{"name":"Bob","address":{"city":"Rome"},"tags":[],"extra":{}}',
      '{"name":"Cy","address":null,"tags":[{"k": 1.50}, null, "x\\u00e9"]}',
    ));
    const df = await spark().read.json(p);
    expect(df.columns).toEqual(['address.city', 'address.geo.lat', 'address.geo.lon', 'address.zip', 'extra', 'name', 'tags']);
    expect(types(df)).toMatchObject({ 'address.geo.lat': 'double', 'address.zip': 'string', extra: 'string', tags: 'string' });
    expect(df.schema.field('address.geo.lat').metadata).toEqual({ jsonPath: ['address', 'geo', 'lat'] });
    const rows = await df.collect();
    expect(rows[0]).toEqual({
      'address.city': 'Oslo', 'address.geo.lat': 59.9, 'address.geo.lon': 10.7, 'address.zip': '0150', extra: null, name: 'Ann', tags: '["a","b"]',
    });
    expect(rows[1]).toMatchObject({ 'address.city': 'Rome', 'address.geo.lat': null, extra: '{}', tags: '[]' });
    // Arrays are compact JSON: strings re-escaped, doubles as Java prints them.
    expect(rows[2]).toMatchObject({ 'address.city': null, tags: '[{"k":1.5},null,"xé"]' });
    // Dotted names select like Spark's struct fields.
    expect(await df.select('address.city').collect()).toEqual([{ 'address.city': 'Oslo' }, { 'address.city': 'Rome' }, { 'address.city': null }]);
  });

  it('an object in one record and a value in another give a string column of JSON text', async () => {
    const p = file('conflict.json', lines('{"a":{"b":1}}', '{"a":2}'));
    const df = await spark().read.json(p);
    expect(types(df)).toEqual({ a: 'string' });
    expect(await df.collect()).toEqual([{ a: '{"b":1}' }, { a: '2' }]);
  });

  it("recognises Spark's JSON vector form: one size gives dense vectors, mixed forms sparse", async () => {
    const p = file('vec.json', lines(
      '{"d":{"type":1,"values":[1.0,2.0]},"s":{"type":0,"size":4,"indices":[1,3],"values":[5.0,"NaN"]}}',
      '{"d":{"type":1,"size":null,"indices":null,"values":[3,4]},"s":{"type":1,"values":[0.0,7.0]}}',
      '{"d":null}',
    ));
    const df = await spark().read.json(p);
    expect(df.schema.field('d').type).toEqual(denseVectorType(2));
    expect(df.schema.field('s').type).toEqual(SparseVectorType);
    const rows = await df.collect();
    expect(rows[0].d).toEqual(Vectors.dense([1, 2]));
    expect(Array.from((rows[0].s as SparseVector).values)).toEqual([5, NaN]);
    expect(rows[1].s).toEqual(Vectors.sparse(2, [1], [7]));
    expect(rows[2]).toEqual({ d: null, s: null });
  });

  it('every record votes (Spark samples none by default): a key first seen in the last line of the last file is a column', async () => {
    const d = freshDir();
    fs.writeFileSync(path.join(d, 'part-0.json'), lines(...Array.from({ length: 3000 }, (_, i) => `{"a":${i}}`)));
    fs.writeFileSync(path.join(d, 'part-1.json'), lines('{"a":1}', '{"a":2,"late":"yes"}'));
    const df = await spark().read.option('quiver.json.splitBytes', 4096).json(d);
    expect(types(df)).toEqual({ a: 'int', late: 'string' });
    expect(await df.count()).toBe(3002);
    expect(df.numPartitions()).toBeGreaterThan(3);
  });

  it('primitivesAsString, dropFieldIfAllNull and samplingRatio', async () => {
    const p = file('opts.json', lines('{"a":1,"b":true,"c":null,"e":{}}', '{"a":2.5,"b":false,"c":null}'));
    const s = await spark().read.option('primitivesAsString', true).json(p);
    expect(types(s)).toEqual({ a: 'string', b: 'string', c: 'string', e: 'string' });
    expect(await s.collect()).toEqual([{ a: '1', b: 'true', c: null, e: '{}' }, { a: '2.5', b: 'false', c: null, e: null }]);
    const dropped = await spark().read.option('dropFieldIfAllNull', true).json(p);
    expect(dropped.columns).toEqual(['a', 'b']);
    const sampled = await spark().read.option('samplingRatio', 0.5).json(file('many.json', lines(...Array.from({ length: 200 }, (_, i) => `{"x":${i}}`))));
    expect(types(sampled)).toEqual({ x: 'int' });
  });

  it('skips blank lines, reads top-level arrays of objects as rows, CRLF and a byte-order mark', async () => {
    const p = file('mixed.json', '\uFEFF{"a":1}\r\n\r\n   \n[{"a":2},{"a":3}]\r[]\n{"a":4}');
    expect(await (await spark().read.json(p)).collect()).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }, { a: 4 }]);
  });

  it('adds _corrupt_record (PERMISSIVE) when a record is malformed; FAILFAST fails the inference naming file and line', async () => {
    const p = file('bad.json', lines('{"a":1}', '{"a":', '{"a":3}'));
    const df = await spark().read.json(p);
    expect(types(df)).toEqual({ _corrupt_record: 'string', a: 'int' });
    expect(await df.collect()).toEqual([{ _corrupt_record: null, a: 1 }, { _corrupt_record: '{"a":', a: null }, { _corrupt_record: null, a: 3 }]);
    const renamed = await spark().read.option('columnNameOfCorruptRecord', 'oops').json(p);
    expect(renamed.columns).toEqual(['a', 'oops']);
    expect((await spark().read.option('mode', 'DROPMALFORMED').json(p)).columns).toEqual(['a']);
    await expect(spark().read.option('mode', 'FAILFAST').json(p))
      .rejects.toThrow(new RegExp(`schema inference.*${escape(p)} at line 2, column 6`));
  });

  it('refuses to infer from no data', async () => {
    await expect(spark().read.json(file('empty.json', ''))).rejects.toThrow(/Unable to infer schema for JSON/);
    await expect(spark().read.json(file('blank.json', '\n\n{}\n'))).rejects.toThrow(/no fields/);
    const df = await spark().read.schema('a INT').json(file('empty2.json', ''));
    expect(await df.collect()).toEqual([]);
  });
});

function escape(s: string): string { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

describe('reading with a given schema', () => {
  it('takes the columns it names (DDL), nulls for missing keys, skips other keys; every column reads as nullable', async () => {
    const p = file('s.json', lines('{"a":1,"b":"x","zzz":{"deep":[1,2]}}', '{"b":null}', '{}'));
    const df = await spark().read.schema('b STRING, a LONG NOT NULL').json(p);
    expect(df.columns).toEqual(['b', 'a']);
    expect(df.schema.field('a').nullable).toBe(true);
    expect(await df.collect()).toEqual([{ b: 'x', a: 1 }, { b: null, a: null }, { b: null, a: null }]);
  });

  it('a value of the wrong type nulls only that field (Spark 3 partial results) and fills the corrupt-record column', async () => {
    const p = file('w.json', lines('{"a":1,"b":"x"}', '{"a":"two","b":"y"}', '{"a":1.5,"b":"z"}', '{"a":3e0}'));
    const schema = 'a INT, b STRING, _corrupt_record STRING';
    expect(await (await spark().read.schema(schema).json(p)).collect()).toEqual([
      { a: 1, b: 'x', _corrupt_record: null },
      { a: null, b: 'y', _corrupt_record: '{"a":"two","b":"y"}' },
      { a: null, b: 'z', _corrupt_record: '{"a":1.5,"b":"z"}' },
      { a: null, b: null, _corrupt_record: '{"a":3e0}' },
    ]);
    expect(await (await spark().read.schema(schema).option('mode', 'DROPMALFORMED').json(p)).collect()).toEqual([{ a: 1, b: 'x', _corrupt_record: null }]);
    const failfast = await spark().read.schema(schema).option('mode', 'FAILFAST').json(p);
    await expect(failfast.collect()).rejects.toThrow(new RegExp(`${escape(p)} at line 2: column 'a': expected an int but found "two".*FAILFAST`));
  });

  it('doubles take NaN and infinities as tokens or as the strings Spark writes', async () => {
    const p = file('nan.json', lines('{"x":NaN}', '{"x":"Infinity"}', '{"x":-Infinity}', '{"x":"-INF"}', '{"x":-0.0}', '{"x":12}'));
    const rows = await (await spark().read.schema('x DOUBLE').json(p)).collect();
    expect(rows.map((r) => r.x)).toEqual([NaN, Infinity, -Infinity, -Infinity, -0, 12]);
    const strict = await spark().read.schema('x DOUBLE').option('allowNonNumericNumbers', false).option('mode', 'DROPMALFORMED').json(p);
    expect((await strict.collect()).map((r) => r.x)).toEqual([-0, 12]);
  });

  it('vector columns read arrays of numbers and both of Spark’s vector forms; a wrong size is malformed', async () => {
    const p = file('v.json', lines(
      '{"v":[1, 2.5, 3]}',
      '{"v":{"type":1,"values":[4,5,6]}}',
      '{"v":{"type":0,"size":3,"indices":[2],"values":[9]}}',
      '{"v":[1,2]}',
      '{"v":"nope"}',
    ));
    const schema = new StructType([{ name: 'v', type: denseVectorType(3), nullable: true }, { name: 'w', type: SparseVectorType, nullable: true }]);
    const rows = await (await spark().read.schema(schema).json(p)).collect();
    expect(rows.map((r) => r.v)).toEqual([Vectors.dense([1, 2.5, 3]), Vectors.dense([4, 5, 6]), Vectors.dense([0, 0, 9]), null, null]);
    const sparse = await (await spark().read.schema(new StructType([{ name: 'v', type: SparseVectorType, nullable: true }])).json(p)).collect();
    expect(sparse.slice(0, 4).map((r) => r.v)).toEqual([
      Vectors.sparse(3, [0, 1, 2], [1, 2.5, 3]), Vectors.sparse(3, [0, 1, 2], [4, 5, 6]), Vectors.sparse(3, [2], [9]), Vectors.sparse(2, [0, 1], [1, 2]),
    ]);
    await expect((await spark().read.schema(schema).option('mode', 'FAILFAST').json(p)).collect())
      .rejects.toThrow(/at line 4: column 'v': expected a vector of size 3 but found one of size 2/);
  });

  it('a dotted column reads the nested path (and a literal dotted key); a string column takes an object as JSON text', async () => {
    const p = file('path.json', lines('{"a":{"b":1,"c":{"d":true}}}', '{"a.b":2}', '{"a":{"b":null}}', '{"a":7}'));
    const df = await spark().read.schema('`a.b` INT, a STRING, `a.c.d` BOOLEAN').json(p);
    expect(await df.collect()).toEqual([
      { 'a.b': 1, a: '{"b":1,"c":{"d":true}}', 'a.c.d': true },
      { 'a.b': 2, a: null, 'a.c.d': null },
      { 'a.b': null, a: '{"b":null}', 'a.c.d': null },
      { 'a.b': null, a: '7', 'a.c.d': null },
    ]);
  });
});

describe('malformed records and syntax', () => {
  const bad = lines('{"a":1}', '{"a":2,}', 'not json', '{"a":4} trailing', '[1,2]', '{"a":"x\ny"}', '{"a":6}');

  it('PERMISSIVE nulls the row, DROPMALFORMED drops it, FAILFAST names the file, line and column', async () => {
    const p = file('modes.json', bad);
    const permissive = await (await spark().read.schema('a STRING').json(p)).collect();
    expect(permissive.map((r) => r.a)).toEqual(['1', null, null, null, null, null, null, '6']);
    const dropped = await (await spark().read.schema('a STRING').option('mode', 'DROPMALFORMED').json(p)).collect();
    expect(dropped.map((r) => r.a)).toEqual(['1', '6']);
    const fail = await spark().read.schema('a STRING').option('mode', 'failfast').json(p);
    await expect(fail.collect()).rejects.toThrow(new RegExp(`Malformed JSON record in ${escape(p)} at line 2, column 8: expected a field name`));
  });

  it('names the split and its line when a big file is read in byte ranges', async () => {
    const body = Array.from({ length: 400 }, (_, i) => `{"i":${i},"pad":"${'x'.repeat(20)}"}`);
    body[350] = '{"i":oops}';
    const p = file('split.json', lines(...body));
    const df = await inline().read.schema('i INT').option('mode', 'FAILFAST').option('quiver.json.splitBytes', 2048).json(p);
    await expect(df.collect()).rejects.toThrow(/split starting at byte \d+; line numbers count from there\) at line \d+, column 6: expected a JSON value/);
  });

  it("accepts Spark's leniencies: single quotes by default; comments, unquoted names, leading zeros on request", async () => {
    const p = file('lenient.json', lines("{'a':'it''s'}", "{'a':'q\\'s'}", '{"a":"x" /* c */}', '{a:"u"}', '{"a":007}'));
    const def = await (await spark().read.schema('a STRING').option('mode', 'DROPMALFORMED').json(p)).collect();
    expect(def.map((r) => r.a)).toEqual(["q's"]); // 'it''s' is two strings: malformed
    const all = await (await spark().read.schema('a STRING').options({
      allowComments: true, allowUnquotedFieldNames: true, allowNumericLeadingZeros: true, mode: 'DROPMALFORMED',
    }).json(p)).collect();
    expect(all.map((r) => r.a)).toEqual(["q's", 'x', 'u', '007']);
    const noSingle = await (await spark().read.schema('a STRING').option('allowSingleQuotes', false).option('mode', 'DROPMALFORMED').json(p)).collect();
    expect(noSingle).toEqual([]);
  });

  it('strings: every escape, surrogate pairs, raw unicode; control characters must be escaped', () => {
    const text = lines(
      String.raw`{"s":"q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00 😀 ✓"}`,
      '{"s":"tab\there"}',
      String.raw`{"s":"\x"}`,
    );
    const schema = new StructType([{ name: 's', type: { kind: 'string' }, nullable: true }]);
    const batch = parseJson(text, schema, { ...DEFAULT_JSON_OPTIONS }, { source: 'mem' });
    expect(batchToRows(schema, batch).map((r) => r.s)).toEqual(['q" b\\ s/ \b\f\n\r\t é 😀 😀 ✓', null, null]);
    expect(() => parseJson(text, schema, { ...DEFAULT_JSON_OPTIONS, mode: 'FAILFAST' }, { source: 'mem' }))
      .toThrow(/mem at line 2, column 10: control character U\+0009/);
  });

  it('a multiLine file is one document: an object or an array of objects spread over lines', async () => {
    const d = freshDir();
    fs.writeFileSync(path.join(d, 'a.json'), '[\n  {"a": 1,\n   "b": {"c": "x"}},\n  {"a": 2}\n]\n');
    fs.writeFileSync(path.join(d, 'b.json'), '{\n "a": 3\n}');
    const df = await spark().read.option('multiLine', true).json(d);
    expect(await df.collect()).toEqual([{ a: 1, 'b.c': 'x' }, { a: 2, 'b.c': null }, { a: 3, 'b.c': null }]);
    fs.writeFileSync(path.join(d, 'c.json'), '{\n "a": 3,\n "b": oops\n}');
    await expect(spark().read.option('multiLine', true).option('mode', 'FAILFAST').json(d)).rejects.toThrow(/c\.json at line 3, column 7/);
  });

  it('refuses options it cannot honour', async () => {
    const p = file('o.json', '{"a":1}\n');
    await expect(spark().read.option('encoding', 'UTF-16').json(p)).rejects.toThrow(/Invalid JSON option encoding="UTF-16"/);
    await expect(spark().read.option('mode', 'LENIENT').json(p)).rejects.toThrow(/PERMISSIVE, DROPMALFORMED or FAILFAST/);
    await expect(spark().read.option('samplingRatio', 0).json(p)).rejects.toThrow(/samplingRatio/);
  });
});

describe('splitting big files', () => {
  it('gives the same rows for any split size, with CRLF, blank lines and multi-byte characters', async () => {
    const body: string[] = [];
    for (let i = 0; i < 500; i++) {
      body.push(`{"i":${i},"s":"n€me ${i} \\"q\\" 😀","d":${i % 7 === 0 ? 'null' : i * 0.25}}`);
      if (i % 60 === 0) body.push('');
    }
    const p = file('big.json', body.join('\r\n') + '\r\n');
    const whole = await (await inline().read.json(p)).collect();
    expect(whole).toHaveLength(500);
    for (const splitBytes of [97, 1000, 4096]) {
      const df = await spark().read.option('quiver.json.splitBytes', splitBytes).json(p);
      expect(df.numPartitions()).toBeGreaterThan(1);
      expect(await df.collect()).toEqual(whole);
    }
  });
});

describe('writer', () => {
  it("writes Spark's JSON: nulls left out, Java doubles, NaN as strings, vectors in Spark's form, part files", async () => {
    const df = spark().createDataFrame([
      { i: 1, d: 1, s: 'a"b\n\u0001é', b: true, v: Vectors.dense([1, 0.5]), w: Vectors.sparse(3, [2], [1e21]) },
      { i: null, d: NaN, s: null, b: null, v: null, w: null },
      { i: -3, d: -Infinity, s: '', b: false, v: Vectors.dense([1e-5, -0]), w: Vectors.sparse(3, [], []) },
    ], { numPartitions: 2 });
    const out = path.join(freshDir(), 'out');
    await df.write.json(out);
    expect(partFiles(out).every((f) => /^part-0000\d-[0-9a-f-]+-c000\.json$/.test(f))).toBe(true);
    expect(fs.existsSync(path.join(out, '_SUCCESS'))).toBe(true);
    expect(readParts(out)).toBe(lines(
      '{"i":1,"d":1.0,"s":"a\\"b\\n\\u0001é","b":true,"v":{"type":1,"values":[1.0,0.5]},"w":{"type":0,"size":3,"indices":[2],"values":[1.0E21]}}',
      '{"d":"NaN"}',
      '{"i":-3,"d":"-Infinity","s":"","b":false,"v":{"type":1,"values":[1.0E-5,-0.0]},"w":{"type":0,"size":3,"indices":[],"values":[]}}',
    ));
    const withNulls = path.join(freshDir(), 'nulls');
    await df.select('i', 's').write.option('ignoreNullFields', false).json(withNulls);
    expect(readParts(withNulls)).toBe(lines('{"i":1,"s":"a\\"b\\n\\u0001é"}', '{"i":null,"s":null}', '{"i":-3,"s":""}'));
    await expect(df.write.option('compression', 'gzip').json(path.join(freshDir(), 'gz'))).rejects.toThrow(/JSON compression 'gzip' is not supported/);
  });

  it('nests columns the reader flattened again (and writes other dotted names as they are)', async () => {
    const p = file('n.json', lines('{"id":1,"a":{"b":{"c":2},"d":"x"}}', '{"id":2,"a":{"d":"y"}}', '{"id":3}'));
    const df = await spark().read.json(p);
    const out = path.join(freshDir(), 'nested');
    await df.withColumn('plain.dotted', col('id')).coalesce(1).write.json(out);
    expect(readParts(out)).toBe(lines(
      '{"a":{"b":{"c":2},"d":"x"},"id":1,"plain.dotted":1}',
      '{"a":{"d":"y"},"id":2,"plain.dotted":2}',
      '{"id":3,"plain.dotted":3}',
    ));
    const back = await spark().read.json(out);
    expect(back.columns).toEqual(['a.b.c', 'a.d', 'id', 'plain.dotted']);
    expect(await back.select('a.b.c', 'a.d', 'id').collect()).toEqual(await df.collect());
  });
});

