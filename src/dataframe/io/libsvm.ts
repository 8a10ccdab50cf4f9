// The LibSVM text format as Spark reads and writes it (MLUtils.parseLibSVMRecord, LibSVMOutputWriter):
// one record per line, `label index:value index:value ...`, indices 1-based and strictly increasing in
// the file, 0-based in the vectors. Lines are trimmed; blank lines and lines starting with '#' are
// skipped. Numbers follow Java's grammar (Double.parseDouble, Integer.parseInt).
import type { RecordBatch } from 'apache-arrow';
import { columnOf, denseVectorData, makeBatch, primitiveData, sparseVectorData, sparseView, validityBytes, type AnyData } from '../batch.js';
import { StructType, type StructField } from '../types.js';
import { formatJavaDouble } from './csv-format.js';
import { parseJavaDouble, parseJavaInt } from './csv-parse.js';
import { forEachLine } from './json-lines.js';

export type LibsvmVectorType = 'sparse' | 'dense';

/** The schema Spark's libsvm source gives: label double, features vector (its size in the metadata). */
export function libsvmSchema(numFeatures: number, vectorType: LibsvmVectorType): StructType {
  return new StructType([
    { name: 'label', type: { kind: 'double' }, nullable: false },
    {
      name: 'features',
      type: vectorType === 'dense' ? { kind: 'vector', encoding: 'dense', size: numFeatures } : { kind: 'vector', encoding: 'sparse' },
      nullable: false,
      // Spark's key, and Quiver's ML attribute group so stages downstream know the vector size.
      metadata: { numFeatures, ml_attr: { num_attrs: numFeatures } },
    },
  ]);
}

interface Context { source: string; firstLine?: number }

/**
 * Calls `fn` for every record with the label and the 0-based indices and values (buffers reused
 * between calls). Throws naming the source and line on anything malformed; indices at or above
 * `numFeatures` (when given) are errors too.
 */
export function forEachLibsvmRecord(
  text: string, ctx: Context, numFeatures: number | null,
  fn: (label: number, indices: number[], values: number[]) => void,
): void {
  const indices: number[] = [], values: number[] = [];
  forEachLine(text, false, ctx.firstLine ?? 1, (start, end, line) => {
    let a = start, b = end;
    while (a < b && text.charCodeAt(a) <= 32) a++;
    while (b > a && text.charCodeAt(b - 1) <= 32) b--;
    if (a === b || text.charCodeAt(a) === 35 /* # */) return;
    const fail = (why: string): never => { throw new Error(`Malformed LibSVM record in ${ctx.source} at line ${line}: ${why}`); };
    let p = a;
    const token = (): string => {
      while (p < b && isSpace(text.charCodeAt(p))) p++;
      const s = p;
      while (p < b && !isSpace(text.charCodeAt(p))) p++;
      return text.slice(s, p);
    };
    const labelText = token();
    const label = parseJavaDouble(labelText);
    if (label === undefined) fail(`cannot parse the label '${labelText}' as a number`);
    indices.length = 0; values.length = 0;
    let previous = -1;
    for (let item = token(); item !== ''; item = token()) {
      const colon = item.indexOf(':');
      if (colon < 0 || item.indexOf(':', colon + 1) >= 0) fail(`expected index:value but found '${item}'`);
      const oneBased = parseJavaInt(item.slice(0, colon));
      if (oneBased === undefined) fail(`cannot parse the index in '${item}' as an integer`);
      const value = parseJavaDouble(item.slice(colon + 1));
      if (value === undefined) fail(`cannot parse the value in '${item}' as a number`);
      if (oneBased! < 1) fail(`index ${oneBased} in '${item}' is not positive (LibSVM indices are 1-based)`);
      const index = oneBased! - 1;
      if (index <= previous) fail(`indices must be strictly increasing, but ${oneBased} follows ${previous + 1}`);
      if (numFeatures !== null && index >= numFeatures) fail(`index ${oneBased} is above numFeatures = ${numFeatures}`);
      previous = index;
      indices.push(index);
      values.push(value!);
    }
    fn(label!, indices, values);
  });
}

const isSpace = (c: number): boolean => c === 32 || c === 9;

/** What the numFeatures pass learns from a chunk: records and the largest 0-based index (-1 if none). */
export interface LibsvmScan { rows: number; maxIndex: number }

export function scanLibsvm(text: string, ctx: Context): LibsvmScan {
  let rows = 0, maxIndex = -1;
  forEachLibsvmRecord(text, ctx, null, (_label, indices) => {
    rows++;
    if (indices.length) maxIndex = Math.max(maxIndex, indices[indices.length - 1]);
  });
  return { rows, maxIndex };
}

/** Parses a chunk into a batch of libsvmSchema(numFeatures, vectorType). */
export function parseLibsvm(text: string, numFeatures: number, vectorType: LibsvmVectorType, ctx: Context): RecordBatch {
  const labels: number[] = [];
  const offsets: number[] = [0];
  const idx: number[] = [], vals: number[] = [];
  forEachLibsvmRecord(text, ctx, numFeatures, (label, indices, values) => {
    labels.push(label);
    for (let k = 0; k < indices.length; k++) { idx.push(indices[k]); vals.push(values[k]); }
    offsets.push(idx.length);
  });
  const n = labels.length;
  const schema = libsvmSchema(numFeatures, vectorType);
  const label = primitiveData({ kind: 'double' }, Float64Array.from(labels), null);
  let features: AnyData;
  if (vectorType === 'dense') {
    const dense = new Float64Array(n * numFeatures);
    for (let i = 0; i < n; i++) for (let k = offsets[i]; k < offsets[i + 1]; k++) dense[i * numFeatures + idx[k]] = vals[k];
    features = denseVectorData(numFeatures, dense, null, n);
  } else {
    features = sparseVectorData(new Int32Array(n).fill(numFeatures), Int32Array.from(offsets), Int32Array.from(idx), Float64Array.from(vals), null);
  }
  return makeBatch(schema, [label, features], n);
}

/**
 * Checks that a DataFrame can be written as LibSVM, as Spark's verifySchema: exactly two columns,
 * a numeric label and a vector.
 */
export function checkLibsvmSchema(schema: StructType): void {
  const f = schema.fields;
  const numeric = (x: StructField) => x.type.kind === 'double' || x.type.kind === 'int' || x.type.kind === 'long';
  if (f.length !== 2 || !numeric(f[0]) || f[1].type.kind !== 'vector') {
    const shown = f.map((x) => `${x.name}: ${x.type.kind}`).join(', ');
    throw new Error(`Illegal schema for libsvm data: expected two columns, a numeric label and a vector of features, but got (${shown}); ` +
      `select them first, e.g. df.select('label', 'features')`);
  }
}

/** One partition as LibSVM lines: `label i:v ...` with 1-based indices; every entry of a dense vector, as Spark. */
export function batchToLibsvm(schema: StructType, batch: RecordBatch): string {
  checkLibsvmSchema(schema);
  const [labelField, featureField] = schema.fields;
  const n = batch.numRows;
  const labelData = columnOf(batch, 0), featureData = columnOf(batch, 1);
  const labelValid = validityBytes(labelData), featureValid = validityBytes(featureData);
  const lv = labelData.values as Float64Array | Int32Array | BigInt64Array;
  const loff = labelData.offset;
  const nullError = (name: string, i: number) => new Error(`LibSVM cannot hold nulls: column '${name}' is null in row ${i} of the partition`);
  const lines: string[] = new Array(n);
  const type = featureField.type;
  const sparse = type.kind === 'vector' && type.encoding === 'sparse' ? sparseView(featureData) : null;
  const dense = sparse ? null : featureData.children[0] as AnyData;
  const d = type.kind === 'vector' && type.encoding === 'dense' ? type.size : 0;
  for (let i = 0; i < n; i++) {
    if (labelValid && !labelValid[i]) throw nullError(labelField.name, i);
    if (featureValid && !featureValid[i]) throw nullError(featureField.name, i);
    let line = formatJavaDouble(Number(lv[loff + i]));
    if (sparse) {
      for (let k = sparse.offsets[i]; k < sparse.offsets[i + 1]; k++) line += ` ${sparse.indices[k] + 1}:${formatJavaDouble(sparse.values[k])}`;
    } else {
      const v = dense!.values as Float64Array, base = dense!.offset + (featureData.offset + i) * d;
      for (let k = 0; k < d; k++) line += ` ${k + 1}:${formatJavaDouble(v[base + k])}`;
    }
    lines[i] = line;
  }
  return n ? lines.join('\n') + '\n' : '';
}
