// Parquet and Arrow files written by other tools: several row groups or record batches, IPC streams,
// dictionary-encoded strings, non-canonical numeric types; user schemas select columns by name.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Float32, Int16, RecordBatch, Table, tableFromArrays, tableToIPC, vectorFromArray } from 'apache-arrow';
import { parquetWasm } from '../../src/dataframe/io/parquet-wasm.js';
import { useSparkAndInline } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';

const { spark, inline } = useSparkAndInline();
const { fresh } = useTempDir('quiver-io-fmt-');

/** 1000 rows: id (int32), x (float64), s (dictionary-encoded utf8, as Arrow JS builds strings). */
function table(n = 1000): Table {
  return tableFromArrays({
    id: Int32Array.from({ length: n }, (_, i) => i),
    x: Float64Array.from({ length: n }, (_, i) => i / 8),
    s: Array.from({ length: n }, (_, i) => `s${i % 13}`),
  });
}

function writeParquetFile(file: string, t: Table, rowGroupRows: number): void {
  const w = parquetWasm();
  const props = new w.WriterPropertiesBuilder().setMaxRowGroupSize(rowGroupRows).build();
  fs.writeFileSync(file, w.writeParquet(w.Table.fromIPCStream(tableToIPC(t, 'stream')), props));
}

const expectedRows = (n = 1000) => Array.from({ length: n }, (_, i) => ({ id: i, x: i / 8, s: `s${i % 13}` }));

describe('Parquet from other writers', () => {
  it('splits a big file by row groups into partitions of about quiver.parquet.splitBytes, with the same rows', async () => {
    const file = fresh('groups.parquet');
    writeParquetFile(file, table(), 100); // 10 row groups
    const whole = await spark().read.parquet(file);
    expect(whole.dtypes).toEqual([['id', 'int'], ['x', 'double'], ['s', 'string']]);
    expect(whole.numPartitions()).toBe(1);
    expect(await whole.collect()).toEqual(expectedRows());
    for (const s of [spark(), inline()]) {
      const split = await s.read.option('quiver.parquet.splitBytes', 1).parquet(file);
      expect(split.numPartitions()).toBe(10);
      expect(await split.collect()).toEqual(expectedRows());
    }
    const half = fs.statSync(file).size / 2;
    const two = await spark().read.option('quiver.parquet.splitBytes', Math.ceil(half)).parquet(file);
    expect(two.numPartitions()).toBeGreaterThanOrEqual(2);
    expect(await two.count()).toBe(1000);
  });

  it('a user schema selects columns by name (and refuses a missing one naming the file)', async () => {
    const file = fresh('select.parquet');
    writeParquetFile(file, table(20), 1000);
    const df = await spark().read.schema('s STRING, id INT').parquet(file);
    expect(await df.collect()).toEqual(expectedRows(20).map(({ s, id }) => ({ s, id })));
    const bad = await spark().read.schema('id INT, nope DOUBLE').parquet(file);
    await expect(bad.collect()).rejects.toThrow(`Schema mismatch: column 'nope' of ${file} is missing from ${file}`);
    const wrongType = await spark().read.schema('id STRING').parquet(file);
    await expect(wrongType.collect()).rejects.toThrow(`Schema mismatch: column 'id' is string in ${file} but int in ${file}`);
  });
});

describe('Arrow IPC from other writers', () => {
  it('reads the stream and file formats, several record batches concatenated into one partition per file', async () => {
    const t = table();
    const batches = [t.slice(0, 300), t.slice(300, 700), t.slice(700)].flatMap((p) => p.batches);
    const multi = new Table(batches);
    expect(multi.batches.length).toBeGreaterThan(1);
    const dir = fresh('ipc');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'a.arrows'), tableToIPC(multi, 'stream'));
    fs.writeFileSync(path.join(dir, 'b.feather'), tableToIPC(multi, 'file'));
    const df = await spark().read.format('feather').load(dir);
    expect(df.dtypes).toEqual([['id', 'int'], ['x', 'double'], ['s', 'string']]);
    expect(df.numPartitions()).toBe(2);
    expect(await df.collect()).toEqual([...expectedRows(), ...expectedRows()]);
  });

  it('widens non-canonical numeric types (Float32, Int16) to double and int', async () => {
    const t = new Table({
      f: vectorFromArray([1.5, null, -2], new Float32()),
      h: vectorFromArray([1, 2, null], new Int16()),
    });
    const file = fresh('narrow.arrow');
    fs.writeFileSync(file, tableToIPC(t, 'file'));
    const df = await inline().read.arrow(file);
    expect(df.dtypes).toEqual([['f', 'double'], ['h', 'int']]);
    expect(await df.collect()).toEqual([{ f: 1.5, h: 1 }, { f: null, h: 2 }, { f: -2, h: null }]);
  });

  it('reads an IPC stream whose schema message is larger than the first read', async () => {
    const cols: Record<string, Float64Array> = {};
    for (let i = 0; i < 800; i++) cols[`a_rather_long_column_name_number_${i}`] = Float64Array.of(i);
    const t = tableFromArrays(cols);
    const file = fresh('wide.arrows');
    fs.writeFileSync(file, tableToIPC(t, 'stream'));
    const df = await spark().read.arrow(file);
    expect(df.columns).toHaveLength(800);
    expect((await df.collect())[0].a_rather_long_column_name_number_799).toBe(799);
  });

  it('names the column and file of a type Quiver has no counterpart for', async () => {
    const t = new Table({ when: vectorFromArray([new Date(0)]) });
    const file = fresh('dates.arrow');
    fs.writeFileSync(file, tableToIPC(new Table(t.batches as RecordBatch[]), 'file'));
    await expect(spark().read.arrow(file)).rejects.toThrow(new RegExp(`Cannot read ${file}: Column 'when' has Arrow type .* which Quiver does not support`));
  });
});
