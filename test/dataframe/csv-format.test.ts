import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsv, formatJavaDouble } from '../../src/dataframe/io/csv-format.js';

describe('formatCsv (Spark writer semantics)', () => {
  it('quotes only fields with a separator, quote or line break, or starting with a quote', () => {
    const csv = formatCsv(['a'], [['plain'], ['x,y'], ['say "hi"'], ['"q'], ['l1\nl2'], ['back\\slash'], ['a\\"b']], {});
    expect(csv).toBe('plain\n"x,y"\n"say \\"hi\\""\n"\\"q"\n"l1\nl2"\nback\\slash\n"a\\\\\\"b"\n');
  });

  it("escapes quotes by doubling when escape equals quote; writes nothing special with quoting off", () => {
    expect(formatCsv(['a'], [['say "hi", ok']], { escape: '"' })).toBe('"say ""hi"", ok"\n');
    expect(formatCsv(['a', 'b'], [['x;y', 'z']], { sep: ';', quote: "'" })).toBe("'x;y';z\n");
  });

  it('trims whitespace by default, writes null as nullValue and empty strings as ""', () => {
    expect(formatCsv(['a', 'b', 'c'], [['  x ', null, '']], {})).toBe('x,,""\n');
    expect(formatCsv(['a', 'b', 'c'], [['  x ', null, '   ']], { nullValue: 'NULL' })).toBe('x,NULL,""\n');
    expect(formatCsv(['a'], [['  x ']], { ignoreLeadingWhiteSpace: false, ignoreTrailingWhiteSpace: false })).toBe('  x \n');
  });

  it('writes the header, quoteAll, booleans, bigints and typed numbers', () => {
    const rows = [[1, 2, 3.5, true, 10n], [-7, 2 ** 53, 1, false, null]];
    const csv = formatCsv(['i', 'l', 'd', 'b', 'n'], rows, { header: true, types: ['int', 'long', 'double', 'boolean', 'long'] });
    expect(csv).toBe('i,l,d,b,n\n1,2,3.5,true,10\n-7,9007199254740992,1.0,false,\n');
    expect(formatCsv(['a', 'b'], [['x', 1]], { quoteAll: true })).toBe('"x","1.0"\n');
    expect(formatCsv(['a'], [[1e21]], { types: ['long'] })).toBe('1000000000000000000000\n');
  });

  it('quotes the first field of a line a reader would skip (blank or comment)', () => {
    expect(formatCsv(['a'], [[null], [' ']], { ignoreLeadingWhiteSpace: false, ignoreTrailingWhiteSpace: false }))
      .toBe('""\n" "\n');
    expect(formatCsv(['a', 'b'], [[null, null]], { sep: '\t' })).toBe('""\t\n');
    expect(formatCsv(['a', 'b'], [['#x', 'y']], { comment: '#' })).toBe('"#x",y\n');
    expect(formatCsv(['a', 'b'], [['#x', 'y']], {})).toBe('#x,y\n');
  });

  it('rejects unsupported values and ragged rows, naming the column', () => {
    expect(() => formatCsv(['v'], [[[1, 2]]], {})).toThrow(/column 'v'.*Array/);
    expect(() => formatCsv(['a', 'b'], [[1]], {})).toThrow(/1 values for 2 columns/);
  });
});

describe('formatJavaDouble (Double.toString)', () => {
  it('prints like Java', () => {
    const cases: [number, string][] = [
      [1, '1.0'], [-1.5, '-1.5'], [0, '0.0'], [-0, '-0.0'], [100, '100.0'], [1234567, '1234567.0'], [1e7, '1.0E7'],
      [12345678.9, '1.23456789E7'], [0.001, '0.001'], [0.0001, '1.0E-4'], [1.5e-10, '1.5E-10'], [1e21, '1.0E21'],
      [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'], [0.1 + 0.2, '0.30000000000000004'],
      [5e-324, '4.9E-324'], [1.7976931348623157e308, '1.7976931348623157E308'], [0.3, '0.3'],
    ];
    for (const [x, s] of cases) expect(formatJavaDouble(x), String(x)).toBe(s);
  });

  it('round-trips through Number() and always shows a fraction or exponent (property)', () => {
    fc.assert(fc.property(fc.double({ noNaN: true }), (x) => {
      const s = formatJavaDouble(x);
      expect(Object.is(Number(s), x)).toBe(true);
      expect(/^-?(Infinity|[0-9]+\.[0-9]+(E-?[0-9]+)?)$/.test(s)).toBe(true);
    }));
  });
});
