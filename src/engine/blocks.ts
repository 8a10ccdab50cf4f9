// Arrow record batches <-> Arrow IPC streams in SharedArrayBuffers. A partition cached this way is
// readable by every worker thread with zero copies: arrow rebuilds typed-array views over the
// shared bytes (IPC buffers are 8-byte aligned).
import { makeData, RecordBatch, Table, tableFromIPC, tableToIPC, type Data } from 'apache-arrow';

export function batchToShared(batch: RecordBatch): SharedArrayBuffer {
  const bytes = tableToIPC(new Table([withoutSharedBuffers(batch)]), 'stream');
  const sab = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(sab).set(bytes);
  return sab;
}

export function batchFromShared(buffer: SharedArrayBuffer | Uint8Array): RecordBatch {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  const table = tableFromIPC(bytes);
  if (table.batches.length === 1) return table.batches[0];
  if (table.batches.length === 0) throw new Error('block holds no record batch');
  throw new Error(`block holds ${table.batches.length} record batches; expected one`);
}

type AnyData = Data<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * apache-arrow's IPC writer emits a short body when two columns share a buffer (a column selected
 * twice): the header counts both, the body holds one. Give each repeated column its own copy.
 */
function withoutSharedBuffers(batch: RecordBatch): RecordBatch {
  const seen = new Set<ArrayBufferView>();
  let copied = false;
  const cols = (batch.data.children as AnyData[]).map((d) => {
    const views = buffersOf(d);
    if (views.some((v) => seen.has(v))) { copied = true; return deepCopy(d); }
    for (const v of views) seen.add(v);
    return d;
  });
  if (!copied) return batch;
  return new RecordBatch(batch.schema, makeData({ type: batch.data.type, length: batch.numRows, nullCount: 0, children: cols }) as never);
}

function buffersOf(d: AnyData, out: ArrayBufferView[] = []): ArrayBufferView[] {
  for (const b of [d.values, d.valueOffsets, d.nullBitmap]) if (b && (b as ArrayBufferView).byteLength) out.push(b as ArrayBufferView);
  for (const c of d.children as AnyData[]) buffersOf(c, out);
  return out;
}

function deepCopy(d: AnyData): AnyData {
  const copy = <T extends ArrayBufferView | undefined>(b: T): T => (b && (b as ArrayBufferView).byteLength ? (b as unknown as Uint8Array).slice() as unknown as T : b);
  return makeData({
    type: d.type, offset: d.offset, length: d.length, nullCount: d.nullCount,
    nullBitmap: copy(d.nullBitmap), valueOffsets: copy(d.valueOffsets), data: copy(d.values),
    children: (d.children as AnyData[]).map(deepCopy), child: (d.children as AnyData[])[0] ? deepCopy((d.children as AnyData[])[0]) : undefined,
  } as never);
}
