import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsv } from '../../src/dataframe/io/csv-format.js';
import { inferCsvSchema } from '../../src/dataframe/io/csv-infer.js';
import { resolveCsvOptions, type CsvField, type CsvFieldType, type CsvOptions } from '../../src/dataframe/io/csv-options.js';
import { parseCsv, splitCsvChunkRanges, splitCsvChunks, type CsvChunk } from '../../src/dataframe/io/csv-parse.js';

/** Column j of a chunk as plain values (null for nulls, booleans as booleans). */
function columnValues(chunk: CsvChunk, j: number): unknown[] {
  const c = chunk.columns[j];
  if (c.type === 'string') return [...c.values];
  return Array.from({ length: chunk.numRows }, (_, i) =>
    c.valid[i] ? (c.type === 'boolean' ? c.values[i] === 1 : c.values[i]) : null);
}
const tableOf = (chunks: CsvChunk[], ncol: number) =>
  Array.from({ length: ncol }, (_, j) => chunks.flatMap((c) => columnValues(c, j)));

const NULL = '\\N';
const tricky = fc.string({
  unit: fc.constantFrom(',', ';', '\t', '|', '"', "'", '\\', ' ', '#', 'a', 'Z', '0', '.', 'é', '😀', '\n', '\r'),
  maxLength: 8,
});
const text = (multiLine: boolean) => fc.oneof(tricky, fc.string({ unit: 'grapheme', maxLength: 8 }))
  .filter((s) => s !== NULL && (multiLine || !/[\r\n]/.test(s)));
const valueArb = (type: CsvFieldType, multiLine: boolean): fc.Arbitrary<unknown> => ({
  int: fc.integer(),
  long: fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constantFrom(2 ** 53, -(2 ** 53))),
  double: fc.double(),
  boolean: fc.boolean(),
  string: text(multiLine),
}[type]);

/** Writer and reader options that agree; whitespace kept (Spark's writer trims by default). */
const syntaxArb = fc.record({
  sep: fc.constantFrom(',', ';', '\t', '|'),
  escape: fc.constantFrom('\\', '"'),
  multiLine: fc.boolean(),
  header: fc.boolean(),
  comment: fc.constantFrom('', '#'),
});
type Syntax = { sep: string; escape: string; multiLine: boolean; header: boolean; comment: string };
const readOptions = (s: Syntax, extra: Record<string, string | boolean> = {}): CsvOptions =>
  resolveCsvOptions({ ...s, nullValue: NULL, ...extra });
const writeOptions = (s: Syntax, types: CsvFieldType[]) => ({
  ...s, nullValue: NULL, types, ignoreLeadingWhiteSpace: false, ignoreTrailingWhiteSpace: false,
});

const tableArb = (multiLine: boolean) => fc.tuple(
  fc.array(fc.constantFrom<CsvFieldType>('int', 'long', 'double', 'boolean', 'string'), { minLength: 1, maxLength: 5 }),
  fc.integer({ min: 0, max: 12 }),
).chain(([types, numRows]) => fc.tuple(
  fc.constant(types),
  fc.array(fc.tuple(...types.map((t) => fc.option(valueArb(t, multiLine), { nil: null }))), { minLength: numRows, maxLength: numRows }),
));

const schemaOf = (types: CsvFieldType[]): CsvField[] => types.map((type, i) => ({ name: `c${i}`, type, nullable: true }));
const expectSameTable = (got: unknown[][], want: unknown[][]) => {
  expect(got.length).toBe(want.length);
  got.forEach((col, j) => {
    expect(col.length).toBe(want[j].length);
    col.forEach((v, i) => { if (!Object.is(v, want[j][i])) expect(v, `column ${j} row ${i}`).toEqual(want[j][i]); });
  });
};

describe('formatCsv -> parseCsv round trip', () => {
  it('gives back the same values and types (property)', () => {
    fc.assert(fc.property(syntaxArb.chain((s) => fc.tuple(fc.constant(s), tableArb(s.multiLine))), ([s, [types, rows]]) => {
      const names = types.map((_, i) => `c${i}`);
      const csv = formatCsv(names, rows, writeOptions(s, types));
      const chunk = parseCsv(csv, schemaOf(types), readOptions(s, { mode: 'FAILFAST' }), { source: 'rt.csv', skipHeader: s.header });
      expect(chunk.malformedRows).toBe(0);
      expect(chunk.columns.map((c) => c.type)).toEqual(types);
      expectSameTable(tableOf([chunk], types.length), types.map((_, j) => rows.map((r) => r[j])));
    }), { numRuns: 300 });
  });

  it("reads Spark's default empty string \"\" back as null (nullValue '' = emptyValue '')", () => {
    const csv = formatCsv(['a', 'b'], [['', 'x'], [null, '']], {});
    expect(csv).toBe('"",x\n,""\n');
    const chunk = parseCsv(csv, schemaOf(['string', 'string']), resolveCsvOptions({}), { source: 's', skipHeader: false });
    expect(tableOf([chunk], 2)).toEqual([[null, null], ['x', null]]);
  });

  it('infers a schema that reads the written text back (property)', () => {
    fc.assert(fc.property(tableArb(true), ([types, rows]) => {
      const csv = formatCsv(types.map((_, i) => `c${i}`), rows, { header: true, types, nullValue: NULL });
      const o = resolveCsvOptions({ header: true, inferSchema: true, multiLine: true, nullValue: NULL, mode: 'FAILFAST' });
      const schema = inferCsvSchema(csv, o, { source: 's' });
      expect(schema.map((f) => f.name)).toEqual(types.map((_, i) => `c${i}`));
      parseCsv(csv, schema, o, { source: 's', skipHeader: true }); // FAILFAST: no value is malformed under the inferred schema
    }));
  });
});

describe('splitCsvChunks', () => {
  /** Rows written one by one, with blank, comment and malformed lines between them. */
  const fileArb = syntaxArb.chain((s) => fc.tuple(
    fc.constant(s),
    tableArb(s.multiLine),
    fc.array(fc.constantFrom('\n', '\r\n', '  \n', '#comment, "x\n', 'too,many,tokens,in,this,row,here\n', 'q\n'), { maxLength: 12 }),
    fc.array(fc.nat(), { maxLength: 12 }),
    fc.integer({ min: 1, max: 200 }),
  ));
  const build = (s: Syntax, types: CsvFieldType[], rows: unknown[][], extras: string[], at: number[]) => {
    const pieces = rows.map((r) => formatCsv(types.map((_, i) => `c${i}`), [r], writeOptions(s, types)));
    extras.forEach((e, k) => pieces.splice((at[k] ?? 0) % (pieces.length + 1), 0, e));
    const header = s.header ? formatCsv(types.map((_, i) => `c${i}`), [], { ...writeOptions(s, types), header: true }) : '';
    return header + pieces.join('');
  };

  it('parsing each chunk equals parsing the whole text, in every mode (property)', () => {
    fc.assert(fc.property(fileArb, fc.constantFrom('PERMISSIVE', 'DROPMALFORMED', 'FAILFAST'), ([s, [types, rows], extras, at, target], mode) => {
      const csv = build(s, types, rows, extras, at);
      const o = readOptions(s, { mode });
      const schema = schemaOf(types);
      const ranges = splitCsvChunkRanges(csv, target, o);
      expect(ranges.map((r) => csv.slice(r.start, r.end)).join('')).toBe(csv);
      expect(splitCsvChunks(csv, target, o)).toEqual(ranges.map((r) => csv.slice(r.start, r.end)));
      const whole = () => parseCsv(csv, schema, o, { source: 'f.csv', skipHeader: s.header });
      const chunked = () => ranges.map((r, k) =>
        parseCsv(csv.slice(r.start, r.end), schema, o, { source: 'f.csv', skipHeader: s.header && k === 0, firstLine: r.firstLine }));
      let wholeError: unknown = null;
      let all: CsvChunk | null = null;
      try { all = whole(); } catch (e) { wholeError = e; }
      if (wholeError) {
        expect(chunked).toThrow((wholeError as Error).message); // same line numbers in the message
        return;
      }
      const parts = chunked();
      expect(parts.reduce((a, c) => a + c.numRows, 0)).toBe(all!.numRows);
      expect(parts.reduce((a, c) => a + c.malformedRows, 0)).toBe(all!.malformedRows);
      expectSameTable(tableOf(parts, types.length), tableOf([all!], types.length));
    }), { numRuns: 300 });
  });

  it('cuts non-multiLine text after line breaks, even inside quotes, as Spark', () => {
    const o = resolveCsvOptions({});
    expect(splitCsvChunks('a,"x\ny"\nb\n', 2, o)).toEqual(['a,"x\n', 'y"\n', 'b\n']);
    expect(splitCsvChunks('a,"x\ny"\nb\n', 2, resolveCsvOptions({ multiLine: true }))).toEqual(['a,"x\ny"\n', 'b\n']);
    expect(splitCsvChunkRanges('1\r\n2\r3\n4', 1, o)).toEqual([
      { start: 0, end: 3, firstLine: 1 }, { start: 3, end: 5, firstLine: 2 }, { start: 5, end: 7, firstLine: 3 },
      { start: 7, end: 8, firstLine: 4 },
    ]);
    expect(splitCsvChunks('', 10, o)).toEqual([]);
  });
});
