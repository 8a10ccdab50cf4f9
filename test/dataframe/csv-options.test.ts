import { describe, expect, it } from 'vitest';
import { DEFAULT_CSV_OPTIONS, resolveCsvOptions } from '../../src/dataframe/io/csv-options.js';

describe('resolveCsvOptions', () => {
  it("has Spark's reading defaults", () => {
    expect(resolveCsvOptions({})).toEqual({
      header: false, inferSchema: false, sep: ',', quote: '"', escape: '\\', nullValue: '',
      nanValue: 'NaN', positiveInf: 'Inf', negativeInf: '-Inf', mode: 'PERMISSIVE', comment: '',
      ignoreLeadingWhiteSpace: false, ignoreTrailingWhiteSpace: false, encoding: 'utf-8',
      multiLine: false, samplingRatio: 1.0,
    });
    expect(resolveCsvOptions({})).toEqual(DEFAULT_CSV_OPTIONS);
  });

  it("accepts Spark's string forms, case-insensitive keys and the delimiter alias", () => {
    const o = resolveCsvOptions({
      HEADER: 'TRUE', inferschema: 'false', multiLine: true, delimiter: '\\t', mode: 'failFast',
      samplingRatio: '0.5', nullValue: 'NA', comment: '#', encoding: 'UTF8', quote: "'", escape: "'",
    });
    expect(o).toMatchObject({
      header: true, inferSchema: false, multiLine: true, sep: '\t', mode: 'FAILFAST', samplingRatio: 0.5,
      nullValue: 'NA', comment: '#', quote: "'", escape: "'",
    });
    expect(resolveCsvOptions({ sep: ';', delimiter: '|' }).sep).toBe(';');
    expect(resolveCsvOptions({ sep: '\t' }).sep).toBe('\t');
    expect(resolveCsvOptions({ nullValue: 0 }).nullValue).toBe('0');
  });

  it("maps '' for quote, escape and comment to disabled, as Spark's getChar", () => {
    const o = resolveCsvOptions({ quote: '', escape: '', comment: '' });
    expect(o.quote).toBe('\u0000');
    expect(o.escape).toBe('\u0000');
    expect(o.comment).toBe('');
  });

  it('rejects bad values with an error naming the option and value', () => {
    const bad: [Record<string, string | number | boolean>, RegExp][] = [
      [{ sep: ';;' }, /sep=";;"/],
      [{ delimiter: '' }, /delimiter=""/],
      [{ sep: '\\' }, /sep="\\\\"/],
      [{ sep: '\n' }, /line break/],
      [{ quote: 'ab' }, /quote="ab"/],
      [{ header: 'yes' }, /header="yes"/],
      [{ mode: 'LENIENT' }, /mode="LENIENT"/],
      [{ samplingRatio: 0 }, /samplingRatio=0/],
      [{ samplingRatio: 'abc' }, /samplingRatio="abc"/],
      [{ encoding: 'latin1' }, /encoding="latin1"/],
      [{ lineSep: '\n' }, /lineSep/],
      [{ sep: '"' }, /sep="\\""/],
    ];
    for (const [raw, message] of bad) expect(() => resolveCsvOptions(raw), JSON.stringify(raw)).toThrow(message);
  });
});
