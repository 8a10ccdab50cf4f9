// Arrow record batches <-> Arrow IPC streams in SharedArrayBuffers. A partition cached this way is
// readable by every worker thread with zero copies: arrow rebuilds typed-array views over the
// shared bytes (IPC buffers are 8-byte aligned).
import { RecordBatch, Table, tableFromIPC, tableToIPC } from 'apache-arrow';

export function batchToShared(batch: RecordBatch): SharedArrayBuffer {
  const bytes = tableToIPC(new Table([batch]), 'stream');
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
