// How RDD elements travel. Inside a task a partition is a plain JS array, and a chain of narrow
// transformations runs over that array without any encoding (they are fused into one plan node,
// see plan.ts), and an action's kernel receives that array too (the hand-off below). Only where
// the engine keeps a partition — a cached block, a shuffle piece — is it an Arrow RecordBatch, since
// the engine's blocks are Arrow IPC streams in shared memory.
//
// Why one Binary cell of v8.serialize output per partition rather than one row per element, or a
// JSON column: v8.serialize is the structured-clone wire format, exactly what postMessage does, so
// an element comes back as it went in on every master (NaN, -0, undefined, nested arrays and
// objects, Maps, typed arrays), which JSON would not keep; and it is one call per partition, not a
// call and an Arrow row per element. A batch may hold several cells (pieces of a shuffle), each an
// array of elements, decoded in order.
import { Binary, Field, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import { deserialize, serialize } from 'node:v8';

const BINARY = new Binary();
const SCHEMA = new Schema([new Field('elements', BINARY, false)]);

/** A one-row batch whose cell holds the serialized elements. */
export function encodeElements(elements: readonly unknown[]): RecordBatch {
  const bytes = serialize(elements);
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const column = makeData({ type: BINARY, length: 1, nullCount: 0, valueOffsets: Int32Array.of(0, data.length), data });
  return new RecordBatch(SCHEMA, makeData({ type: new Struct(SCHEMA.fields), length: 1, nullCount: 0, children: [column] }));
}

// The hand-off from the top of an RDD task to its kernel, in the same thread: the engine computes
// the task's plan into a batch and passes that batch to the kernel, so an empty batch of its own
// schema is the key under which the elements wait. A kernel takes them (once) with takeElements.
const HANDOFF_SCHEMA = new Schema([new Field('rdd.handoff', BINARY, false)]);
const waiting = new WeakMap<RecordBatch, unknown[]>();

export function handOff(elements: unknown[]): RecordBatch {
  const carrier = new RecordBatch(HANDOFF_SCHEMA, makeData({ type: new Struct(HANDOFF_SCHEMA.fields), length: 0, nullCount: 0,
    children: [makeData({ type: BINARY, length: 0, nullCount: 0, valueOffsets: Int32Array.of(0), data: new Uint8Array(0) })] }));
  waiting.set(carrier, elements);
  return carrier;
}

/** The elements of a kernel's batch: handed off by a task's top plan, or decoded from a block. */
export function takeElements(batch: RecordBatch): unknown[] {
  const xs = waiting.get(batch);
  if (xs) { waiting.delete(batch); return xs; }
  return decodeElements(batch);
}

/** The elements of a batch made by encodeElements (or of several such batches' cells, in order). */
export function decodeElements(batch: RecordBatch): unknown[] {
  const field = batch.schema.fields[0];
  if (batch.numCols !== 1 || !(field.type instanceof Binary) || field.name !== 'elements') {
    throw new Error(`internal error: expected an RDD partition (one binary column 'elements') but got columns ${batch.schema.fields.map((f) => `'${f.name}'`).join(', ')}`);
  }
  const data = batch.data.children[0];
  const offsets = data.valueOffsets as Int32Array;
  const values = data.values as Uint8Array;
  const out: unknown[] = [];
  for (let i = 0; i < data.length; i++) {
    // A copy: v8.deserialize does not read views of shared memory.
    const part = deserialize(Buffer.from(values.subarray(offsets[i], offsets[i + 1]))) as unknown[];
    if (data.length === 1) return part;
    for (const x of part) out.push(x);
  }
  return out;
}
