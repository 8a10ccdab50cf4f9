import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveCsvOptions, type CsvField, type CsvFieldType, type CsvOptions } from '../../src/dataframe/io/csv-options.js';
import { parseCsv, parseJavaDouble, type CsvChunk } from '../../src/dataframe/io/csv-parse.js';

const opts = (raw: Record<string, string | number | boolean> = {}): CsvOptions => resolveCsvOptions(raw);
const fields = (types: CsvFieldType[], nullable = true): CsvField[] =>
  types.map((type, i) => ({ name: `c${i}`, type, nullable }));
const parse = (text: string, types: CsvFieldType[], raw: Record<string, string | number | boolean> = {}, skipHeader = false) =>
  parseCsv(text, fields(types), opts(raw), { source: 'data/in.csv', skipHeader });

/** Column j as plain JS values (null for nulls). */
function values(chunk: CsvChunk, j: number): unknown[] {
  const c = chunk.columns[j];
  if (c.type === 'string') return [...c.values];
  return Array.from({ length: chunk.numRows }, (_, i) =>
    c.valid[i] ? (c.type === 'boolean' ? c.values[i] === 1 : c.values[i]) : null);
}
const strings = (text: string, ncol: number, raw: Record<string, string | number | boolean> = {}) => {
  const chunk = parse(text, Array(ncol).fill('string'), raw);
  return Array.from({ length: chunk.numRows }, (_, i) => chunk.columns.map((_, j) => values(chunk, j)[i]));
};

describe('parseCsv tokenizing (Spark/univocity rules)', () => {
  it('splits on the separator and handles quotes, escapes and the doubled-quote quirk', () => {
    expect(strings('a,"b,c",d\n', 3)).toEqual([['a', 'b,c', 'd']]);
    expect(strings('a,"b\\"c",d\n', 3)).toEqual([['a', 'b"c', 'd']]);
    expect(strings('"x\\\\",y\n', 2)).toEqual([['x\\', 'y']]);
    expect(strings('"x\\y",z\n', 2)).toEqual([['x\\y', 'z']]);
    expect(strings('a\\"b,c\n', 2)).toEqual([['a\\"b', 'c']]); // unquoted: no escape processing
    // With the default escape '\', "" inside quotes is an unescaped quote: the raw text is kept.
    expect(strings('"b""c",d\n', 2)).toEqual([['"b""c"', 'd']]);
    expect(strings('"b""c",d\n', 2, { escape: '"' })).toEqual([['b"c', 'd']]);
    expect(strings("'a,b',c\n", 2, { quote: "'" })).toEqual([['a,b', 'c']]);
    expect(strings('"a,b",c\n', 3, { quote: '' })).toEqual([['"a', 'b"', 'c']]);
  });

  it('keeps whitespace unless told, drops whitespace after a closing quote', () => {
    expect(strings(' a , "b" ,c\n', 3)).toEqual([[' a ', ' "b" ', 'c']]);
    expect(strings('"b"  ,c\n', 2)).toEqual([['b', 'c']]);
    expect(strings(' a , "b" ,c \n', 3, { ignoreLeadingWhiteSpace: true, ignoreTrailingWhiteSpace: true }))
      .toEqual([['a', 'b', 'c']]);
  });

  it('reads empty fields as null, "" as emptyValue (then null when it equals nullValue)', () => {
    expect(strings('a,,""\n', 3)).toEqual([['a', null, null]]);
    expect(strings('a,,"",NA\n', 4, { nullValue: 'NA' })).toEqual([['a', null, '', null]]);
    expect(strings('a,,""\n', 3, { nullValue: 'NA', emptyValue: 'EMPTY' })).toEqual([['a', null, 'EMPTY']]);
    expect(strings('a,b,\n', 3)).toEqual([['a', 'b', null]]);
  });

  it('handles CRLF, lone CR, blank lines, whitespace-only lines and comments', () => {
    expect(strings('a,b\r\n\r\nc,d\re,f', 2)).toEqual([['a', 'b'], ['c', 'd'], ['e', 'f']]);
    expect(strings('\n  \n\t\na,b\n\n', 2)).toEqual([['a', 'b']]);
    expect(strings('#c,d\na,b\n#x\n', 2, { comment: '#' })).toEqual([['a', 'b']]);
    expect(strings('#c,d\n', 2)).toEqual([['#c', 'd']]);
  });

  it('without multiLine a newline ends a record even inside quotes; with it, quotes span lines', () => {
    expect(strings('"a\nb",c\n', 2)).toEqual([['a', null], ['b"', 'c']]);
    expect(strings('"a\nb",c\n"x\r\ny",z', 2, { multiLine: true })).toEqual([['a\nb', 'c'], ['x\r\ny', 'z']]);
    expect(strings('"abc', 1)).toEqual([['abc']]); // unterminated at end of text
  });

  it('skips the header record (after blank and comment lines) only when asked', () => {
    const text = '\n#note\nx,y\n1,2\n';
    expect(parse(text, ['int', 'int'], { comment: '#' }, true).numRows).toBe(1);
    expect(parse(text, ['string', 'string'], { comment: '#' }, false).numRows).toBe(2);
  });
});

describe('parseCsv value conversion (Java parsing, strict)', () => {
  const one = (field: string, type: CsvFieldType, raw: Record<string, string | number | boolean> = {}) => {
    const chunk = parse(`${field}\n`, [type], raw);
    return chunk.numRows === 0 ? 'skipped' : chunk.malformedRows ? 'malformed' : values(chunk, 0)[0];
  };

  it('parses doubles as Double.parseDouble, with the NaN/Inf spellings', () => {
    const cases: [string, unknown][] = [
      ['1', 1], ['-3', -3], ['1.5e3', 1500], ['+1.5', 1.5], ['.5', 0.5], ['5.', 5], ['1E-2', 0.01],
      ['-0', -0], ['1.5f', 1.5], ['2d', 2], ['0x1p3', 8], ['0x1.8p1', 3], ['-0x.8p0', -0.5],
      [' 2', 2], ['2 ', 2], ['1e400', Infinity], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity],
      ['Inf', Infinity], ['-Inf', -Infinity], ['0.1234567890123456789', 0.1234567890123456789],
      ['123456789012345678901234567890', 123456789012345678901234567890],
      ['"1.25"', 1.25],
      ['1,5', 'malformed'], ['"1,5"', 'malformed'], ['0x10', 'malformed'], ['.', 'malformed'], ['e5', 'malformed'],
      ['1e', 'malformed'], ['nan', 'malformed'], ['inf', 'malformed'], ['1..2', 'malformed'], ['--1', 'malformed'],
      ['1_000', 'malformed'], ['١', 'malformed'],
    ];
    for (const [field, want] of cases) expect(Object.is(one(field, 'double'), want) || one(field, 'double') === want, field).toBe(true);
  });

  it('parses ints and longs as Integer/Long.parseInt, longs limited to |x| <= 2^53', () => {
    const cases: [string, CsvFieldType, unknown][] = [
      ['7', 'int', 7], ['+7', 'int', 7], ['-0', 'int', 0], ['007', 'int', 7], ['2147483647', 'int', 2147483647],
      ['-2147483648', 'int', -2147483648], ['2147483648', 'int', 'malformed'], [' 2', 'int', 'malformed'],
      ['2 ', 'int', 'malformed'], ['1.0', 'int', 'malformed'], ['1e3', 'int', 'malformed'], ['0x10', 'int', 'malformed'],
      ['9007199254740992', 'long', 9007199254740992], ['-9007199254740992', 'long', -9007199254740992],
      ['9007199254740993', 'long', 'malformed'], ['99999999999999999999', 'long', 'malformed'],
      ['123456789012345', 'long', 123456789012345], ['-0', 'long', 0], ['1.5', 'long', 'malformed'],
    ];
    for (const [field, type, want] of cases) expect(one(field, type), `${field} as ${type}`).toEqual(want);
    const negZero = parse('-0\n', ['long']).columns[0].values as Float64Array;
    expect(Object.is(negZero[0], 0)).toBe(true);
  });

  it('parses booleans in any case, nothing else', () => {
    expect(['true', 'FALSE', 'True', '1', 'yes', ' true'].map((s) => one(s, 'boolean')))
      .toEqual([true, false, true, 'malformed', 'malformed', 'malformed']);
  });

  it('honours nullValue, nanValue, positiveInf and negativeInf, even when they look like numbers', () => {
    expect(one('-1', 'double', { nullValue: '-1' })).toBe(null);
    expect(one('-1', 'int', { nullValue: '-1' })).toBe(null);
    expect(Number.isNaN(one('0', 'double', { nanValue: '0' }))).toBe(true);
    expect(one('1', 'double', { positiveInf: '1' })).toBe(Infinity);
    expect(one('max', 'double', { positiveInf: 'max' })).toBe(Infinity);
    expect(one('NA', 'int', { nullValue: 'NA' })).toBe(null);
    expect(values(parse(',x\n', ['int', 'string'], { nullValue: 'NA' }), 0)).toEqual([null]); // empty is null too
  });

  it('the in-place number path equals Number() exactly (property)', () => {
    const numeric = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).chain((x) => fc.constantFrom(
        String(x), x.toExponential(), x.toExponential(3), x.toPrecision(17), Math.abs(x) < 1e20 ? x.toFixed(6) : String(x),
      )),
      fc.tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^[0-9]{0,20}$/), fc.constantFrom('', '.'),
        fc.stringMatching(/^[0-9]{0,20}$/), fc.constantFrom('', 'e', 'E-', 'e+'), fc.stringMatching(/^[0-9]{0,3}$/))
        .map((parts) => parts.join('')),
    );
    fc.assert(fc.property(fc.array(numeric, { minLength: 1, maxLength: 8 }), (fieldsText) => {
      const text = fieldsText.join('\n') + '\n';
      const chunk = parseCsv(text, fields(['double']), opts({ mode: 'DROPMALFORMED' }), { source: 's', skipHeader: false });
      const expected = fieldsText.filter((s) => s !== '' && parseJavaDouble(s) !== undefined).map((s) => Number(s));
      const nonEmpty = fieldsText.filter((s) => s !== '').length;
      expect(chunk.malformedRows).toBe(nonEmpty - expected.length);
      expect(values(chunk, 0)).toEqual(expected);
    }));
  });
});

describe('parseCsv malformed records and modes', () => {
  const text = 'd,i,s\n1.5,2,a\nx,3,b\n4,5,c,extra\n7,8\n9,10,e\n';
  const schema = fields(['double', 'int', 'string']);
  const run = (mode: string) => parseCsv(text, schema, opts({ mode }), { source: 'data/in.csv', skipHeader: true });

  it('PERMISSIVE nulls bad fields, drops extra tokens, pads missing ones, keeps the rows', () => {
    const chunk = run('PERMISSIVE');
    expect(chunk.numRows).toBe(5);
    expect(chunk.malformedRows).toBe(3);
    expect(values(chunk, 0)).toEqual([1.5, null, 4, 7, 9]);
    expect(values(chunk, 1)).toEqual([2, 3, 5, 8, 10]);
    expect(values(chunk, 2)).toEqual(['a', 'b', 'c', null, 'e']);
  });

  it('DROPMALFORMED drops every malformed record (bad value, too many or too few tokens)', () => {
    const chunk = run('DROPMALFORMED');
    expect(chunk.numRows).toBe(2);
    expect(chunk.malformedRows).toBe(3);
    expect(values(chunk, 0)).toEqual([1.5, 9]);
    expect(values(chunk, 1)).toEqual([2, 10]);
    expect(values(chunk, 2)).toEqual(['a', 'e']);
    expect(chunk.columns[0].type === 'double' && chunk.columns[0].values.length).toBe(2);
  });

  it('FAILFAST throws naming source, line, column and value', () => {
    expect(() => run('FAILFAST')).toThrow(/data\/in\.csv.*line 3.*column 'c0'.*"x".*double/);
    const tooMany = 'a,b\n1,2\n\n1,2,3\n';
    expect(() => parseCsv(tooMany, fields(['int', 'int']), opts({ mode: 'FAILFAST' }), { source: 'f.csv', skipHeader: true }))
      .toThrow(/f\.csv at line 4, column 3: the record has 3 fields, the schema has 2/);
    expect(() => parseCsv('1\n', fields(['int', 'int']), opts({ mode: 'FAILFAST' }), { source: 'f.csv', skipHeader: false }))
      .toThrow(/f\.csv at line 1, column 'c1': the record has 1 fields/);
  });

  it('counts lines through CRLF, blank and comment lines, quoted newlines and firstLine', () => {
    const o = opts({ mode: 'FAILFAST', multiLine: true, comment: '#' });
    const t = '1,"a\r\nb"\r\n\r\n#c\n2,"x"\n3,"y\nz"\nbad,w\n';
    expect(() => parseCsv(t, fields(['int', 'string']), o, { source: 's', skipHeader: false })).toThrow(/line 8, column 'c0'/);
    expect(() => parseCsv(t, fields(['int', 'string']), o, { source: 's', skipHeader: false, firstLine: 101 }))
      .toThrow(/line 108, column 'c0'/);
  });

  it('rejects a null in a non-nullable column in every mode, naming column and line', () => {
    const schema = fields(['int', 'string'], false);
    for (const mode of ['PERMISSIVE', 'DROPMALFORMED', 'FAILFAST']) {
      expect(() => parseCsv('1,a\n,b\n', schema, opts({ mode }), { source: 'n.csv', skipHeader: false }))
        .toThrow(/non-nullable column 'c0' at line 2 of n\.csv/);
    }
    // A malformed value cannot be nulled there in PERMISSIVE mode; DROPMALFORMED drops the row.
    expect(() => parseCsv('x,a\n', schema, opts(), { source: 'n.csv', skipHeader: false })).toThrow(/non-nullable column 'c0' at line 1/);
    expect(parseCsv('x,a\n1,b\n', schema, opts({ mode: 'DROPMALFORMED' }), { source: 'n.csv', skipHeader: false }).numRows).toBe(1);
  });

  it('returns typed columns sized to the rows, with validity', () => {
    const chunk = parse('1,2,1.5,true,s\n,,,,\n', ['int', 'long', 'double', 'boolean', 'string']);
    expect(chunk.columns.map((c) => c.type)).toEqual(['int', 'long', 'double', 'boolean', 'string']);
    const [i, l, d, b] = chunk.columns;
    expect(i.type === 'int' && i.values).toBeInstanceOf(Int32Array);
    expect(l.type === 'long' && l.values).toBeInstanceOf(Float64Array);
    expect(d.type === 'double' && d.values).toBeInstanceOf(Float64Array);
    expect(b.type === 'boolean' && b.values).toBeInstanceOf(Uint8Array);
    for (const c of chunk.columns) {
      if (c.type !== 'string') expect([...c.valid]).toEqual([1, 0]);
      expect(c.values.length).toBe(2);
    }
    expect(parse('', ['int']).numRows).toBe(0);
    expect(parse('\n\n', ['int']).numRows).toBe(0);
  });
});
