import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsv } from '../../src/dataframe/io/csv-format.js';
import { inferCsvSchema, inferCsvTypes, mergeInferredTypes, readCsvHeader } from '../../src/dataframe/io/csv-infer.js';
import { resolveCsvOptions, type CsvFieldType } from '../../src/dataframe/io/csv-options.js';

const opts = (raw: Record<string, string | number | boolean> = {}) => resolveCsvOptions({ inferSchema: true, ...raw });
const typesOf = (text: string, raw: Record<string, string | number | boolean> = {}) =>
  inferCsvSchema(text, opts(raw), { source: 's' }).map((f) => f.type);

describe('readCsvHeader', () => {
  it("names columns _c<i> without a header, and makes header names safe as Spark's makeSafeHeader", () => {
    expect(readCsvHeader('1,2,3\n', opts())).toEqual(['_c0', '_c1', '_c2']);
    expect(readCsvHeader('a,A,,b,a,"",NA,"x,y"\n', opts({ header: true, nullValue: 'NA' })))
      .toEqual(['a0', 'A1', '_c2', 'b', 'a4', '_c5', '_c6', 'x,y']);
    expect(readCsvHeader('\n  \n#c\nx;y\n', opts({ header: true, comment: '#', sep: ';' }))).toEqual(['x', 'y']);
    expect(readCsvHeader('', opts({ header: true }))).toEqual([]);
  });

  it("keeps names unique where Spark's rule alone would collide (found by the property below)", () => {
    // Spark gives A4 twice here (the duplicate 'A' at index 4 and the literal 'A4'); the literal keeps its name.
    expect(readCsvHeader(',a,,,A,A4,\n', opts({ header: true })))
      .toEqual(['_c0', 'a1', '_c2', '_c3', 'A4_1', 'A4', '_c6']);
    expect(readCsvHeader('_c1,,x\n', opts({ header: true }))).toEqual(['_c1', '_c1_1', 'x']);
  });

  it('gives unique names for any header (property)', () => {
    const name = fc.oneof(fc.constantFrom('a', 'A', 'b', '', 'x y'), fc.string({ maxLength: 3 }));
    fc.assert(fc.property(fc.array(name, { minLength: 1, maxLength: 8 }), (names) => {
      const text = formatCsv(names, [], { header: true, ignoreLeadingWhiteSpace: false, ignoreTrailingWhiteSpace: false });
      const got = readCsvHeader(text, opts({ header: true, multiLine: true }));
      expect(got).toHaveLength(names.length);
      expect(new Set(got.map((s) => s.toLowerCase())).size).toBe(names.length);
    }));
  });
});

describe('inferCsvSchema', () => {
  it("follows Spark's int -> long -> double -> boolean -> string order and widening", () => {
    const text = [
      '1,1,1,true,1,,x,1,1.5,+2,NaN,Inf, 3,0x1p3,1e2',
      '2,3000000000,2.5,FALSE,true,,1,-9007199254740993,,-3,1.0,-Inf,4,1,2',
    ].join('\n');
    expect(typesOf(text)).toEqual([
      'int', 'long', 'double', 'boolean', 'string', 'string', 'string', 'double', 'double', 'int', 'double', 'double',
      'double', 'double', 'double',
    ]);
  });

  it('is all string without inferSchema; nulls do not vote; uses the header and skips it', () => {
    expect(inferCsvSchema('1,2\n', resolveCsvOptions({}), { source: 's' }))
      .toEqual([{ name: '_c0', type: 'string', nullable: true }, { name: '_c1', type: 'string', nullable: true }]);
    expect(typesOf('a,b\nNA,1\n2,NA\n', { header: true, nullValue: 'NA' })).toEqual(['int', 'int']);
    expect(typesOf('a,b\n1,2\n', { header: true })).toEqual(['int', 'int']);
    expect(inferCsvSchema('a,b\n1,2\n', opts({ header: true }), { source: 's' }).map((f) => f.name)).toEqual(['a', 'b']);
  });

  it('merges chunk results like Spark compatibleType', () => {
    expect(mergeInferredTypes(['int', 'long', 'int', null, 'boolean', 'double'], ['long', 'double', 'boolean', 'int', 'boolean', 'string']))
      .toEqual(['long', 'double', 'string', 'int', 'boolean', 'string']);
    const a = inferCsvTypes('1,x\n', opts(), { skipHeader: false, numColumns: 2 });
    expect(inferCsvTypes('2.5,\n', opts(), { skipHeader: false, numColumns: 2, typesSoFar: a })).toEqual(['double', 'string']);
  });

  it('samples deterministically with samplingRatio < 1', () => {
    const text = Array.from({ length: 200 }, (_, i) => (i % 2 ? 'x' : String(i))).join('\n');
    const o = opts({ samplingRatio: 0.3 });
    expect(inferCsvTypes(text, o, { skipHeader: false, numColumns: 1 })).toEqual(inferCsvTypes(text, o, { skipHeader: false, numColumns: 1 }));
    expect(typesOf('1\n2\n', { samplingRatio: 0.5 })[0]).toMatch(/int|string/);
  });

  it('infers the generating type of random written columns (property)', () => {
    // Each column gets values of one type, plus one value that pins the type (e.g. a long outside int range).
    const valueOf: Record<CsvFieldType, fc.Arbitrary<unknown>> = {
      int: fc.integer(),
      long: fc.oneof(fc.integer(), fc.maxSafeInteger()),
      double: fc.double(),
      boolean: fc.boolean(),
      string: fc.string({ unit: 'grapheme', maxLength: 6 }),
    };
    const pin: Record<CsvFieldType, unknown> = { int: 1, long: 2 ** 40, double: 0.5, boolean: true, string: 'text' };
    const table = fc.integer({ min: 0, max: 6 }).chain((numRows) => fc.array(
      fc.constantFrom<CsvFieldType>('int', 'long', 'double', 'boolean', 'string').chain((type) =>
        fc.array(fc.option(valueOf[type], { nil: null }), { minLength: numRows, maxLength: numRows })
          .map((vs) => ({ type, values: [...vs, pin[type]] }))),
      { minLength: 1, maxLength: 5 }));
    fc.assert(fc.property(table, (cols) => {
      const types = cols.map((c) => c.type);
      const rows = cols[0].values.map((_, i) => cols.map((c) => c.values[i]));
      const text = formatCsv(cols.map((_, i) => `c${i}`), rows, { header: true, types });
      const inferred = inferCsvSchema(text, opts({ header: true, multiLine: true }), { source: 's' });
      // String columns may hold only numbers or booleans by chance: then Spark infers those.
      inferred.forEach((f, i) => { if (types[i] !== 'string') expect(f.type, text).toBe(types[i]); });
    }));
  });
});
