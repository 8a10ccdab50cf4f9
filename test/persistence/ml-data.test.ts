/** data/ as Spark lays it out: Parquet with VectorUDT/MatrixUDT structs, read back with checked accessors. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Table, tableFromIPC } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parquetWasm } from '../../src/fs/parquet-wasm.js';
import { DenseMatrix } from '../../src/linalg/matrix.js';
import { DenseVector, SparseVector, Vectors, type Vector } from '../../src/linalg/vectors.js';
import {
  booleanColumn, dataTable, doubleArrayColumn, doubleColumn, fileSystemFor, intArrayColumn, intColumn, longColumn,
  matrixColumn, ModelData, readDataDir, stringArrayArrayColumn, stringArrayColumn, stringColumn, structToMatrix,
  vectorColumn, writeDataDir,
} from '../../src/persistence/index.js';

let dir: string;
let n = 0;
const fresh = (): string => join(dir, `d${n++}`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quiver-ml-data-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function roundTrip(table: Table): Promise<ModelData> {
  const fs = fileSystemFor(dir);
  const model = fresh();
  await writeDataDir(fs, join(model, 'data'), table);
  return new ModelData(model, await readDataDir(fs, model));
}

const anyDouble = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity));
const dense = fc.array(anyDouble, { maxLength: 20 }).map((v) => Vectors.dense(v) as Vector);
const sparse = fc
  .integer({ min: 1, max: 50 })
  .chain((size) => fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { maxLength: size }).map((idx) => [size, idx.sort((a, b) => a - b)] as const))
  .chain(([size, idx]) => fc.array(anyDouble, { minLength: idx.length, maxLength: idx.length }).map((vals) => Vectors.sparse(size, idx, vals) as Vector));

describe('data/ layout', () => {
  it('writes one snappy Parquet part and _SUCCESS, with Spark VectorUDT/MatrixUDT struct columns', async () => {
    const fs = fileSystemFor(dir);
    const model = fresh();
    await writeDataDir(fs, join(model, 'data'), dataTable({
      std: vectorColumn([Vectors.dense([1, 2])]),
      pc: matrixColumn([new DenseMatrix(2, 1, Float64Array.from([3, 4]))]),
    }));
    const names = await readdir(join(model, 'data'));
    expect(names).toHaveLength(2);
    expect(names).toContain('_SUCCESS');
    const part = names.find((x) => x !== '_SUCCESS')!;
    expect(part).toMatch(/^part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/);
    const w = parquetWasm();
    const bytes = new Uint8Array(await readFile(join(model, 'data', part)));
    const table = tableFromIPC(w.readParquet(bytes).intoIPCStream());
    const std = table.schema.fields[0]!;
    expect(std.name).toBe('std');
    expect(String(std.type)).toBe('Struct<{type:Int8, size:Int32, indices:List<Int32>, values:List<Float64>}>');
    expect(String(table.schema.fields[1]!.type)).toBe(
      'Struct<{type:Int8, numRows:Int32, numCols:Int32, colPtrs:List<Int32>, rowIndices:List<Int32>, values:List<Float64>, isTransposed:Bool}>',
    );
    const row = table.getChild('std')!.get(0)!.toJSON();
    expect([row.type, row.size, row.indices]).toEqual([1, null, null]); // dense: type 1, no size, no indices
  });

  it('round trips dense and sparse vectors, NaN and ±Infinity included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(dense, sparse), { minLength: 1, maxLength: 5 }), async (vectors) => {
        const data = await roundTrip(dataTable({ v: vectorColumn(vectors) }));
        expect(data.numRows).toBe(vectors.length);
        vectors.forEach((v, row) => {
          const back = data.vector('v', row);
          expect(back.constructor).toBe(v.constructor);
          expect(back.size).toBe(v.size);
          expect(Array.from(back.values)).toEqual(Array.from(v.values));
          if (v instanceof SparseVector) expect(Array.from((back as SparseVector).indices)).toEqual(Array.from(v.indices));
        });
      }),
      { numRuns: 25 },
    );
  });

  it('round trips every column kind', async () => {
    const m = new DenseMatrix(2, 3, Float64Array.from([1, 2, 3, 4, 5, NaN]));
    const t = new DenseMatrix(2, 2, Float64Array.from([1, 2, 3, 4]), true);
    const data = await roundTrip(dataTable({
      d: doubleColumn([1.5, -Infinity]),
      i: intColumn([7, -2]),
      l: longColumn([2 ** 40, -1]),
      b: booleanColumn([true, false]),
      s: stringColumn(['a', 'é']),
      da: doubleArrayColumn([[1, NaN], []]),
      ia: intArrayColumn([[1, 2], [3]]),
      sa: stringArrayColumn([['x', 'y'], []]),
      saa: stringArrayArrayColumn([[['a', 'b'], ['c']], []]),
      m: matrixColumn([m, t]),
    }));
    expect(data.columns).toEqual(['d', 'i', 'l', 'b', 's', 'da', 'ia', 'sa', 'saa', 'm']);
    expect([data.double('d'), data.double('d', 1), data.int('i', 1), data.long('l'), data.boolean('b', 1), data.string('s', 1)])
      .toEqual([1.5, -Infinity, -2, 2 ** 40, false, 'é']);
    expect(Array.from(data.doubleArray('da'))).toEqual([1, NaN]);
    expect(Array.from(data.intArray('ia'))).toEqual([1, 2]);
    expect(data.stringArray('sa')).toEqual(['x', 'y']);
    expect(data.stringArrayArray('saa')).toEqual([['a', 'b'], ['c']]);
    expect(data.stringArrayArray('saa', 1)).toEqual([]);
    const mb = data.matrix('m');
    expect([mb.numRows, mb.numCols, mb.isTransposed, Array.from(mb.values)]).toEqual([2, 3, false, [1, 2, 3, 4, 5, NaN]]);
    const tb = data.matrix('m', 1);
    expect([tb.isTransposed, tb.get(0, 1), tb.get(1, 0)]).toEqual([true, t.get(0, 1), t.get(1, 0)]);
  });

  it("densifies Spark's sparse matrices (CSC, and CSR when transposed)", () => {
    // [[1, 0], [0, 2], [3, 0]] as CSC: colPtrs [0, 2, 3], rowIndices [0, 2, 1]
    const csc = structToMatrix({ type: 0, numRows: 3, numCols: 2, colPtrs: [0, 2, 3], rowIndices: [0, 2, 1], values: [1, 3, 2], isTransposed: false });
    expect(Array.from(csc.values)).toEqual([1, 0, 3, 0, 2, 0]);
    // the same matrix as CSR: rowPtrs [0, 1, 2, 3], colIndices [0, 1, 0]
    const csr = structToMatrix({ type: 0, numRows: 3, numCols: 2, colPtrs: [0, 1, 2, 3], rowIndices: [0, 1, 0], values: [1, 2, 3], isTransposed: true });
    expect(Array.from(csr.values)).toEqual([1, 0, 3, 0, 2, 0]);
    expect(() => structToMatrix({ type: 0, numRows: 3, numCols: 2, colPtrs: [0, 1], rowIndices: [], values: [], isTransposed: false }))
      .toThrow(/do not fit 3 × 2/);
  });

  it('refuses columns of different lengths', () => {
    expect(() => dataTable({ a: doubleColumn([1]), b: doubleColumn([1, 2]) })).toThrow(/column 'b' has 2 rows but 'a' has 1/);
  });
});

describe('reading bad data/', () => {
  it('names the model path, the column and the row', async () => {
    const data = await roundTrip(dataTable({ v: vectorColumn([new DenseVector(Float64Array.of(1))]), d: doubleColumn([1]) }));
    const at = data.path;
    expect(() => data.vector('w')).toThrow(`${at}: corrupt model data (data/): column 'w' is missing (columns: v, d)`);
    expect(() => data.vector('v', 1)).toThrow(`${at}: corrupt model data (data/): column 'v' has no row 1 (1 row(s))`);
    expect(() => data.vector('d')).toThrow(new RegExp(`^${at}: corrupt model data \\(data/\\): column 'd' row 0 is not a vector`));
    expect(() => data.string('d')).toThrow(/column 'd' row 0 is not a string \(found Float64\)/);
    expect(() => data.requireRows(2)).toThrow(`${at}: corrupt model data (data/): expected 2 row(s), found 1`);
  });

  it('fails naming the path for missing data, no part file, or truncated Parquet', async () => {
    const fs = fileSystemFor(dir);
    const missing = fresh();
    await expect(readDataDir(fs, missing)).rejects.toThrow(`${missing}: model data is missing: data/ does not exist`);

    const empty = fresh();
    await writeDataDir(fs, join(empty, 'data'), dataTable({ d: doubleColumn([1]) }));
    for (const name of await readdir(join(empty, 'data'))) if (name.endsWith('.parquet')) await rm(join(empty, 'data', name));
    await expect(readDataDir(fs, empty)).rejects.toThrow(`${empty}: model data is missing: data/ holds no Parquet part file`);

    const truncated = fresh();
    await writeDataDir(fs, join(truncated, 'data'), dataTable({ d: doubleColumn([1, 2, 3]) }));
    const part = (await readdir(join(truncated, 'data'))).find((x) => x.endsWith('.parquet'))!;
    const bytes = await readFile(join(truncated, 'data', part));
    await writeFile(join(truncated, 'data', part), bytes.subarray(0, bytes.length - 12));
    await expect(readDataDir(fs, truncated)).rejects.toThrow(
      new RegExp(`^${truncated}: corrupt model data: data/${part.replace(/\./g, '\\.')} is not a readable Parquet file`),
    );
  });
});
