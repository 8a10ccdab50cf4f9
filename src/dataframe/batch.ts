// Building, slicing, gathering and concatenating Arrow record batches in Quiver's physical layout.
// Everything here writes fresh, offset-0 buffers, so kernels can read `data.values` directly.
import { Data, makeData, RecordBatch, Struct, Field, Schema } from 'apache-arrow';
import type { ArrayDataType, DataType, StructDataType, StructType } from './types.js';
import { toArrowSchema, toArrowType } from './types.js';

export type AnyData = Data<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// --- validity bitmaps ------------------------------------------------------------------------

export function isValidAt(data: AnyData, i: number): boolean {
  const bm = data.nullBitmap;
  if (!bm || bm.length === 0 || data.nullCount === 0) return true;
  const j = data.offset + i;
  return ((bm[j >> 3] >> (j & 7)) & 1) === 1;
}

/** Packs a byte-per-row validity array (1 = valid) into an Arrow bitmap; null when all valid. */
export function packValidity(valid: Uint8Array, n: number): { bitmap: Uint8Array | undefined; nullCount: number } {
  let nulls = 0;
  for (let i = 0; i < n; i++) if (valid[i] === 0) nulls++;
  if (nulls === 0) return { bitmap: undefined, nullCount: 0 };
  return { bitmap: packBits(valid, n), nullCount: nulls };
}

export function packBits(bytes: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(((n + 63) >> 6) << 3);
  for (let i = 0; i < n; i++) if (bytes[i]) out[i >> 3] |= 1 << (i & 7);
  return out;
}

/** Unpacks a bit-packed Arrow buffer (booleans or validity) into one byte per row. */
export function unpackBits(bits: Uint8Array | null | undefined, offset: number, n: number, ifMissing = 1): Uint8Array {
  const out = new Uint8Array(n);
  if (!bits || bits.length === 0) { if (ifMissing) out.fill(1); return out; }
  for (let i = 0; i < n; i++) { const j = offset + i; out[i] = (bits[j >> 3] >> (j & 7)) & 1; }
  return out;
}

export function validityBytes(data: AnyData): Uint8Array | null {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return null;
  return unpackBits(data.nullBitmap, data.offset, data.length);
}

// --- building columns from JS values ---------------------------------------------------------

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

export function utf8Data(strings: ArrayLike<string | null>, n = strings.length): AnyData {
  const offsets = new Int32Array(n + 1);
  const parts: Uint8Array[] = [];
  const valid = new Uint8Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const s = strings[i];
    if (s !== null && s !== undefined) {
      const b = utf8.encode(s);
      parts.push(b);
      total += b.length;
      valid[i] = 1;
    }
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  let pos = 0;
  for (const p of parts) { bytes.set(p, pos); pos += p.length; }
  const { bitmap, nullCount } = packValidity(valid, n);
  return makeData({ type: toArrowType({ kind: 'string' }), length: n, nullCount, nullBitmap: bitmap, valueOffsets: offsets, data: bytes } as never);
}

export function readUtf8(data: AnyData, i: number): string | null {
  if (!isValidAt(data, i)) return null;
  const o = data.valueOffsets as Int32Array;
  const j = data.offset + i;
  return utf8Decoder.decode((data.values as Uint8Array).subarray(o[j], o[j + 1]));
}

/** Decodes a whole Utf8 column once (for kernels that work on strings). */
export function decodeUtf8Column(data: AnyData): (string | null)[] {
  const out = new Array<string | null>(data.length);
  for (let i = 0; i < data.length; i++) out[i] = readUtf8(data, i);
  return out;
}

export function primitiveData(type: DataType, values: Float64Array | Int32Array | BigInt64Array, valid: Uint8Array | null): AnyData {
  const n = values.length;
  const { bitmap, nullCount } = valid ? packValidity(valid, n) : { bitmap: undefined, nullCount: 0 };
  return makeData({ type: toArrowType(type), length: n, nullCount, nullBitmap: bitmap, data: values } as never);
}

export function booleanData(values: Uint8Array, valid: Uint8Array | null, n = values.length): AnyData {
  const { bitmap, nullCount } = valid ? packValidity(valid, n) : { bitmap: undefined, nullCount: 0 };
  return makeData({ type: toArrowType({ kind: 'boolean' }), length: n, nullCount, nullBitmap: bitmap, data: packBits(values, n) } as never);
}

export function denseVectorData(size: number, values: Float64Array, valid: Uint8Array | null, n: number): AnyData {
  const type = toArrowType({ kind: 'vector', encoding: 'dense', size });
  const child = makeData({ type: (type as never as { children: Field[] }).children[0].type, length: n * size, data: values } as never);
  const { bitmap, nullCount } = valid ? packValidity(valid, n) : { bitmap: undefined, nullCount: 0 };
  return makeData({ type, length: n, nullCount, nullBitmap: bitmap, child } as never);
}

export function sparseVectorData(sizes: Int32Array, offsets: Int32Array, indices: Int32Array, values: Float64Array, valid: Uint8Array | null): AnyData {
  const n = sizes.length;
  const type = toArrowType({ kind: 'vector', encoding: 'sparse' }) as Struct;
  const [sizeF, idxF, valF] = type.children;
  const sizeData = makeData({ type: sizeF.type, length: n, data: sizes } as never);
  const idxChild = makeData({ type: (idxF.type as never as { children: Field[] }).children[0].type, length: indices.length, data: indices } as never);
  const valChild = makeData({ type: (valF.type as never as { children: Field[] }).children[0].type, length: values.length, data: values } as never);
  const idxData = makeData({ type: idxF.type, length: n, valueOffsets: offsets, child: idxChild } as never);
  const valData = makeData({ type: valF.type, length: n, valueOffsets: offsets.slice(), child: valChild } as never);
  const { bitmap, nullCount } = valid ? packValidity(valid, n) : { bitmap: undefined, nullCount: 0 };
  return makeData({ type, length: n, nullCount, nullBitmap: bitmap, children: [sizeData, idxData, valData] } as never);
}

/** An array column: row i holds child entries offsets[i]..offsets[i+1]. */
export function listData(type: ArrayDataType, offsets: Int32Array, child: AnyData, valid: Uint8Array | null): AnyData {
  const n = offsets.length - 1;
  const { bitmap, nullCount } = valid ? packValidity(valid, n) : { bitmap: undefined, nullCount: 0 };
  return makeData({ type: toArrowType(type), length: n, nullCount, nullBitmap: bitmap, valueOffsets: offsets, child } as never);
}

/** A struct column of n rows over one child column per field (each of n rows). */
export function structData(type: StructDataType, children: AnyData[], valid: Uint8Array | null, n: number): AnyData {
  const { bitmap, nullCount } = valid ? packValidity(valid, n) : { bitmap: undefined, nullCount: 0 };
  return makeData({ type: toArrowType(type), length: n, nullCount, nullBitmap: bitmap, children } as never);
}

export function makeBatch(schema: StructType | Schema, columns: AnyData[], numRows?: number): RecordBatch {
  const arrowSchema = schema instanceof Schema ? schema : toArrowSchema(schema);
  const length = numRows ?? (columns.length ? columns[0].length : 0);
  const struct = makeData({ type: new Struct(arrowSchema.fields), length, children: columns, nullCount: 0 } as never);
  return new RecordBatch(arrowSchema, struct as never);
}

export function emptyBatch(schema: StructType): RecordBatch {
  return makeBatch(schema, schema.fields.map((f) => emptyColumn(f.type)), 0);
}

/** A column of `n` nulls. */
export function nullColumn(type: DataType, n: number): AnyData {
  const valid = new Uint8Array(n);
  switch (type.kind) {
    case 'double': return primitiveData(type, new Float64Array(n), valid);
    case 'int': return primitiveData(type, new Int32Array(n), valid);
    case 'long': return primitiveData(type, new BigInt64Array(n), valid);
    case 'boolean': return booleanData(new Uint8Array(n), valid, n);
    case 'string': return utf8Data(new Array<null>(n).fill(null), n);
    case 'vector':
      return type.encoding === 'dense'
        ? denseVectorData(type.size, new Float64Array(n * type.size), valid, n)
        : sparseVectorData(new Int32Array(n), new Int32Array(n + 1), new Int32Array(0), new Float64Array(0), valid);
    case 'array': return listData(type, new Int32Array(n + 1), emptyColumn(type.elementType), valid);
    case 'struct': return structData(type, type.fields.map((f) => nullColumn(f.type, n)), valid, n);
  }
}

function emptyColumn(type: DataType): AnyData {
  switch (type.kind) {
    case 'double': return primitiveData(type, new Float64Array(0), null);
    case 'int': return primitiveData(type, new Int32Array(0), null);
    case 'long': return primitiveData(type, new BigInt64Array(0), null);
    case 'boolean': return booleanData(new Uint8Array(0), null, 0);
    case 'string': return utf8Data([], 0);
    case 'vector':
      return type.encoding === 'dense'
        ? denseVectorData(type.size, new Float64Array(0), null, 0)
        : sparseVectorData(new Int32Array(0), new Int32Array(1), new Int32Array(0), new Float64Array(0), null);
    case 'array': return listData(type, new Int32Array(1), emptyColumn(type.elementType), null);
    case 'struct': return structData(type, type.fields.map((f) => emptyColumn(f.type)), null, 0);
  }
}

export function columnOf(batch: RecordBatch, index: number): AnyData {
  return batch.data.children[index] as AnyData;
}

/** The partition's column of that name; fails naming it when the partition has none. */
export function columnByName(batch: RecordBatch, name: string): AnyData {
  const c = batch.schema.fields.findIndex((f) => f.name === name);
  if (c < 0) throw new Error(`Column '${name}' does not exist in this partition`);
  return columnOf(batch, c);
}

// --- gather and concat -----------------------------------------------------------------------

/**
 * Gathers rows `indices[0..count)` of one column into a fresh column. Used by filter, sample,
 * shuffles and limit; each type is copied with typed-array loops, never through row objects.
 */
export function takeColumn(type: DataType, data: AnyData, rawIndices: Int32Array, count = rawIndices.length): AnyData {
  // A negative index yields a null (outer joins); it is gathered as row 0 and masked out.
  let hasMissing = false;
  for (let k = 0; k < count; k++) if (rawIndices[k] < 0) { hasMissing = true; break; }
  const indices = hasMissing ? rawIndices.map((i) => (i < 0 ? 0 : i)) : rawIndices;
  if (hasMissing && data.length === 0) return nullColumn(type, count);
  const src = validityBytes(data);
  let valid: Uint8Array | null = null;
  if (src || hasMissing) {
    valid = new Uint8Array(count);
    for (let k = 0; k < count; k++) valid[k] = rawIndices[k] < 0 ? 0 : src ? src[indices[k]] : 1;
  }
  const off = data.offset;
  switch (type.kind) {
    case 'double': case 'int': case 'long': {
      const v = data.values as Float64Array | Int32Array | BigInt64Array;
      const out = new (v.constructor as Float64ArrayConstructor)(count) as typeof v;
      for (let k = 0; k < count; k++) out[k] = v[off + indices[k]];
      return primitiveData(type, out, valid);
    }
    case 'boolean': {
      const bits = data.values as Uint8Array;
      const out = new Uint8Array(count);
      for (let k = 0; k < count; k++) { const j = off + indices[k]; out[k] = (bits[j >> 3] >> (j & 7)) & 1; }
      return booleanData(out, valid, count);
    }
    case 'string': {
      const o = data.valueOffsets as Int32Array, bytes = data.values as Uint8Array;
      const offsets = new Int32Array(count + 1);
      let total = 0;
      for (let k = 0; k < count; k++) { const j = off + indices[k]; total += o[j + 1] - o[j]; offsets[k + 1] = total; }
      const outBytes = new Uint8Array(total);
      for (let k = 0; k < count; k++) { const j = off + indices[k]; outBytes.set(bytes.subarray(o[j], o[j + 1]), offsets[k]); }
      const { bitmap, nullCount } = valid ? packValidity(valid, count) : { bitmap: undefined, nullCount: 0 };
      return makeData({ type: data.type, length: count, nullCount, nullBitmap: bitmap, valueOffsets: offsets, data: outBytes } as never);
    }
    case 'vector': {
      if (type.encoding === 'dense') {
        const d = type.size;
        const child = data.children[0] as AnyData;
        const v = child.values as Float64Array;
        const base = child.offset + off * d;
        const out = new Float64Array(count * d);
        for (let k = 0; k < count; k++) {
          const s = base + indices[k] * d;
          out.set(v.subarray(s, s + d), k * d);
        }
        return denseVectorData(d, out, valid, count);
      }
      const sv = sparseView(data);
      const sizes = new Int32Array(count), offsets = new Int32Array(count + 1);
      let total = 0;
      for (let k = 0; k < count; k++) {
        const j = indices[k];
        sizes[k] = sv.sizes[j];
        total += sv.offsets[j + 1] - sv.offsets[j];
        offsets[k + 1] = total;
      }
      const idx = new Int32Array(total), vals = new Float64Array(total);
      for (let k = 0; k < count; k++) {
        const j = indices[k], a = sv.offsets[j], b = sv.offsets[j + 1];
        idx.set(sv.indices.subarray(a, b), offsets[k]);
        vals.set(sv.values.subarray(a, b), offsets[k]);
      }
      return sparseVectorData(sizes, offsets, idx, vals, valid);
    }
    case 'array': {
      // Gather each row's run of child entries (none for a missing row), then the child itself.
      const o = data.valueOffsets as Int32Array;
      const offsets = new Int32Array(count + 1);
      let total = 0;
      for (let k = 0; k < count; k++) {
        if (rawIndices[k] >= 0) { const j = off + indices[k]; total += o[j + 1] - o[j]; }
        offsets[k + 1] = total;
      }
      const childRows = new Int32Array(total);
      for (let k = 0, e = 0; k < count; k++) {
        if (rawIndices[k] < 0) continue;
        const j = off + indices[k];
        for (let q = o[j]; q < o[j + 1]; q++) childRows[e++] = q;
      }
      return listData(type, offsets, takeColumn(type.elementType, data.children[0] as AnyData, childRows), valid);
    }
    case 'struct': {
      // A struct's children are indexed like the struct itself (Arrow slices them together).
      const children = type.fields.map((f, c) => takeColumn(f.type, data.children[c] as AnyData, rawIndices, count));
      return structData(type, children, valid, count);
    }
  }
}

export interface SparseView { sizes: Int32Array; offsets: Int32Array; indices: Int32Array; values: Float64Array }

/** Row-relative view over a sparse vector column: row i's entries are indices/values[offsets[i]..offsets[i+1]). */
export function sparseView(data: AnyData): SparseView {
  const [sizeD, idxD, valD] = data.children as AnyData[];
  const off = data.offset;
  const sizes = (sizeD.values as Int32Array).subarray(sizeD.offset + off, sizeD.offset + off + data.length);
  const rawOffsets = (idxD.valueOffsets as Int32Array).subarray(idxD.offset + off, idxD.offset + off + data.length + 1);
  const idxChild = idxD.children[0] as AnyData, valChild = (valD.children[0] as AnyData);
  const valOffsets = (valD.valueOffsets as Int32Array).subarray(valD.offset + off, valD.offset + off + data.length + 1);
  const base = rawOffsets[0];
  if (valOffsets[0] !== base) throw new Error('sparse vector column has misaligned indices and values');
  const offsets = new Int32Array(rawOffsets.length);
  for (let i = 0; i < offsets.length; i++) offsets[i] = rawOffsets[i] - base;
  const end = rawOffsets[rawOffsets.length - 1];
  return {
    sizes,
    offsets,
    indices: (idxChild.values as Int32Array).subarray(idxChild.offset + base, idxChild.offset + end),
    values: (valChild.values as Float64Array).subarray(valChild.offset + base, valChild.offset + end),
  };
}

export function takeRows(schema: StructType, batch: RecordBatch, indices: Int32Array, count = indices.length): RecordBatch {
  return makeBatch(schema, schema.fields.map((f, c) => takeColumn(f.type, columnOf(batch, c), indices, count)), count);
}

export function sliceRows(schema: StructType, batch: RecordBatch, start: number, end: number): RecordBatch {
  const n = Math.max(0, Math.min(end, batch.numRows) - start);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = start + i;
  return takeRows(schema, batch, idx, n);
}

/** Concatenates batches of one schema into a single batch with contiguous buffers. */
export function concatBatches(schema: StructType, batches: RecordBatch[]): RecordBatch {
  const nonEmpty = batches.filter((b) => b.numRows > 0);
  if (nonEmpty.length === 0) return emptyBatch(schema);
  if (nonEmpty.length === 1) return nonEmpty[0];
  const total = nonEmpty.reduce((s, b) => s + b.numRows, 0);
  // Gather through a per-batch identity index: one code path for every type.
  const cols = schema.fields.map((f, c) => concatColumn(f.type, nonEmpty.map((b) => columnOf(b, c)), total));
  return makeBatch(schema, cols, total);
}

export function concatColumn(type: DataType, parts: AnyData[], total = parts.reduce((s, p) => s + p.length, 0)): AnyData {
  // Pieces that are not offset-0 (slices) are compacted first, so the buffers can be stitched.
  const pieces = parts.map((p) => (isCompact(type, p) ? p : takeColumn(type, p, identity(p.length))));
  let valid: Uint8Array | null = null;
  if (pieces.some((p) => p.nullCount > 0)) {
    valid = new Uint8Array(total);
    let pos = 0;
    for (const p of pieces) { valid.set(validityBytes(p) ?? new Uint8Array(p.length).fill(1), pos); pos += p.length; }
  }
  switch (type.kind) {
    case 'double': case 'int': case 'long': {
      const first = pieces[0].values as Float64Array;
      const out = new (first.constructor as Float64ArrayConstructor)(total);
      let pos = 0;
      for (const p of pieces) { out.set((p.values as Float64Array).subarray(0, p.length), pos); pos += p.length; }
      return primitiveData(type, out, valid);
    }
    case 'boolean': {
      const out = new Uint8Array(total);
      let pos = 0;
      for (const p of pieces) { out.set(unpackBits(p.values as Uint8Array, 0, p.length, 0), pos); pos += p.length; }
      return booleanData(out, valid, total);
    }
    case 'string': {
      const offsets = new Int32Array(total + 1);
      const byteTotal = pieces.reduce((s, p) => s + (p.valueOffsets as Int32Array)[p.length], 0);
      const bytes = new Uint8Array(byteTotal);
      let row = 0, bpos = 0;
      for (const p of pieces) {
        const o = p.valueOffsets as Int32Array;
        for (let i = 1; i <= p.length; i++) offsets[row + i] = bpos + o[i];
        const used = o[p.length];
        bytes.set((p.values as Uint8Array).subarray(0, used), bpos);
        row += p.length; bpos += used;
      }
      const { bitmap, nullCount } = valid ? packValidity(valid, total) : { bitmap: undefined, nullCount: 0 };
      return makeData({ type: pieces[0].type, length: total, nullCount, nullBitmap: bitmap, valueOffsets: offsets, data: bytes } as never);
    }
    case 'vector': {
      if (type.encoding === 'dense') {
        const out = new Float64Array(total * type.size);
        let pos = 0;
        for (const p of pieces) {
          const v = (p.children[0] as AnyData).values as Float64Array;
          out.set(v.subarray(0, p.length * type.size), pos);
          pos += p.length * type.size;
        }
        return denseVectorData(type.size, out, valid, total);
      }
      const views = pieces.map(sparseView);
      const nnz = views.reduce((s, v) => s + v.indices.length, 0);
      const sizes = new Int32Array(total), offsets = new Int32Array(total + 1);
      const idx = new Int32Array(nnz), vals = new Float64Array(nnz);
      let row = 0, e = 0;
      for (const v of views) {
        sizes.set(v.sizes, row);
        for (let i = 1; i < v.offsets.length; i++) offsets[row + i] = e + v.offsets[i];
        idx.set(v.indices, e); vals.set(v.values, e);
        row += v.sizes.length; e += v.indices.length;
      }
      return sparseVectorData(sizes, offsets, idx, vals, valid);
    }
    case 'array': {
      const offsets = new Int32Array(total + 1);
      const children: AnyData[] = [];
      let row = 0, e = 0;
      for (const p of pieces) {
        const o = p.valueOffsets as Int32Array;
        for (let i = 1; i <= p.length; i++) offsets[row + i] = e + o[i];
        children.push(leading(type.elementType, p.children[0] as AnyData, o[p.length]));
        row += p.length; e += o[p.length];
      }
      return listData(type, offsets, concatColumn(type.elementType, children, e), valid);
    }
    case 'struct': {
      const children = type.fields.map((f, c) => concatColumn(f.type, pieces.map((p) => leading(f.type, p.children[c] as AnyData, p.length)), total));
      return structData(type, children, valid, total);
    }
  }
}

/** The first `n` rows of a child column (children may be longer than their parent needs). */
function leading(type: DataType, data: AnyData, n: number): AnyData {
  return data.length === n ? data : takeColumn(type, data, identity(n));
}

function isCompact(type: DataType, p: AnyData): boolean {
  if (p.offset !== 0) return false;
  if (type.kind === 'string' || type.kind === 'array') return (p.valueOffsets as Int32Array)[0] === 0;
  if (type.kind === 'vector' && type.encoding === 'dense') {
    const child = p.children[0] as AnyData;
    return child.offset === 0 && (child.values as Float64Array).length === p.length * type.size;
  }
  if (type.kind === 'double' || type.kind === 'int' || type.kind === 'long') return (p.values as Float64Array).length === p.length;
  return true;
}

export function identity(n: number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return idx;
}

export function renameBatch(batch: RecordBatch, names: string[]): RecordBatch {
  const fields = batch.schema.fields.map((f, i) => new Field(names[i], f.type, f.nullable, f.metadata));
  return makeBatch(new Schema(fields), batch.data.children as AnyData[], batch.numRows);
}

/** A dense vector column as one row-major n×d block: row i is values[offset + i*d .. + d). */
export interface DenseBlock { n: number; d: number; values: Float64Array; offset: number; valid: Uint8Array | null }

export function denseBlock(batch: RecordBatch, column: string): DenseBlock {
  const data = columnByName(batch, column);
  const child = data.children[0] as AnyData | undefined;
  const d = (data.type as { listSize?: number }).listSize;
  if (d === undefined || !child) throw new Error(`Column '${column}' is not a dense vector column`);
  return { n: data.length, d, values: child.values as Float64Array, offset: child.offset + data.offset * d, valid: validityBytes(data) };
}
