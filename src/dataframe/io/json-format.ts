// One partition as JSON lines, as Spark's JSON writer: one object per row, keys in column order,
// null fields left out (ignoreNullFields, Spark's default), doubles as Java prints them with NaN and
// the infinities as the strings "NaN", "Infinity", "-Infinity" (Jackson's QUOTE_NON_NUMERIC_NUMBERS),
// vectors in Spark's JSON form of its vector type: {"type":1,"values":[...]} dense and
// {"type":0,"size":n,"indices":[...],"values":[...]} sparse. Columns the JSON reader flattened out
// of nested objects (their metadata holds the key path) are written nested again.
import type { RecordBatch } from 'apache-arrow';
import { columnOf, decodeUtf8Column, sparseView, validityBytes, type AnyData } from '../batch.js';
import type { DataType, StructField, StructType } from '../types.js';
import { formatJavaDouble } from './csv-format.js';
import { JSON_PATH_KEY } from './json-infer.js';

export interface JsonWriteOptions { ignoreNullFields: boolean }

type Node = { key: string; col: number } | { key: string; kids: Node[] };

/** Every row of the batch as a line ending in '\n'. */
export function batchToJson(schema: StructType, batch: RecordBatch, options: JsonWriteOptions): string {
  const ignoreNulls = options.ignoreNullFields;
  const cells = schema.fields.map((f, c) => cellText(f.type, columnOf(batch, c), ignoreNulls));
  const tree = layout(schema.fields);
  const emit = (nodes: Node[], i: number): string => {
    let out = '';
    for (const node of nodes) {
      let v: string | null;
      if ('col' in node) v = cells[node.col](i);
      else {
        v = emit(node.kids, i);
        if (v === '{}' && ignoreNulls) v = null; // every nested field is null
      }
      if (v === null) {
        if (ignoreNulls) continue;
        v = 'null';
      }
      out += (out === '' ? '' : ',') + node.key + ':' + v;
    }
    return '{' + out + '}';
  };
  const lines: string[] = [];
  for (let i = 0; i < batch.numRows; i++) lines.push(emit(tree, i));
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** Keys in column order; a flattened column goes back under its path unless that would clash. */
function layout(fields: readonly StructField[]): Node[] {
  const root: Node[] = [];
  const paths = fields.map((f) => {
    const p = f.metadata?.[JSON_PATH_KEY];
    return Array.isArray(p) && p.length > 1 && p.every((s) => typeof s === 'string') && p.join('.') === f.name ? (p as string[]) : null;
  });
  // Top-level keys of plain columns are taken first: a nested path never shadows them.
  const taken = new Set(fields.filter((_, i) => paths[i] === null).map((f) => f.name));
  const quoted = (k: string) => JSON.stringify(k);
  fields.forEach((f, c) => {
    const path = paths[c];
    if (path === null || taken.has(path[0])) { root.push({ key: quoted(f.name), col: c }); return; }
    let level = root;
    for (let d = 0; d < path.length - 1; d++) {
      const key = quoted(path[d]);
      const found = level.find((n) => n.key === key);
      if (found && 'col' in found) { root.push({ key: quoted(f.name), col: c }); return; }
      if (found) { level = (found as { kids: Node[] }).kids; continue; }
      const group: Node = { key, kids: [] };
      level.push(group);
      level = group.kids;
    }
    const last = quoted(path[path.length - 1]);
    if (level.some((n) => n.key === last)) root.push({ key: quoted(f.name), col: c });
    else level.push({ key: last, col: c });
  });
  return root;
}

const doubleText = (v: number): string => (Number.isFinite(v) ? formatJavaDouble(v) : `"${formatJavaDouble(v)}"`);

/** The JSON text of row i of a column, or null for a null; arrays as JSON arrays, structs as objects. */
function cellText(t: DataType, data: AnyData, ignoreNulls: boolean): (i: number) => string | null {
  const valid = validityBytes(data);
  const ok = (i: number) => valid === null || valid[i] === 1;
  const off = data.offset;
  switch (t.kind) {
    case 'double': { const v = data.values as Float64Array; return (i) => (ok(i) ? doubleText(v[off + i]) : null); }
    case 'int': { const v = data.values as Int32Array; return (i) => (ok(i) ? String(v[off + i]) : null); }
    case 'long': { const v = data.values as BigInt64Array; return (i) => (ok(i) ? String(v[off + i]) : null); }
    case 'boolean': {
      const bits = data.values as Uint8Array;
      return (i) => (ok(i) ? (((bits[(off + i) >> 3] >> ((off + i) & 7)) & 1) === 1 ? 'true' : 'false') : null);
    }
    case 'string': { const s = decodeUtf8Column(data); return (i) => (s[i] === null ? null : JSON.stringify(s[i])); }
    case 'vector': {
      if (t.encoding === 'dense') {
        const child = data.children[0] as AnyData, d = t.size;
        const v = child.values as Float64Array, base = child.offset + off * d;
        return (i) => (ok(i) ? `{"type":1,"values":${numbers(v, base + i * d, base + (i + 1) * d)}}` : null);
      }
      const sv = sparseView(data);
      return (i) => {
        if (!ok(i)) return null;
        const a = sv.offsets[i], b = sv.offsets[i + 1];
        return `{"type":0,"size":${sv.sizes[i]},"indices":[${sv.indices.subarray(a, b).join(',')}],"values":${numbers(sv.values, a, b)}}`;
      };
    }
    case 'array': {
      const o = data.valueOffsets as Int32Array, element = cellText(t.elementType, data.children[0] as AnyData, ignoreNulls);
      return (i) => {
        if (!ok(i)) return null;
        const parts: string[] = [];
        for (let e = o[off + i]; e < o[off + i + 1]; e++) parts.push(element(e) ?? 'null');
        return `[${parts.join(',')}]`;
      };
    }
    case 'struct': {
      // Null fields inside a struct follow ignoreNullFields, as Spark's JacksonGenerator.
      const fields = t.fields.map((f, c) => ({ key: JSON.stringify(f.name), text: cellText(f.type, data.children[c] as AnyData, ignoreNulls) }));
      return (i) => {
        if (!ok(i)) return null;
        const parts: string[] = [];
        for (const f of fields) {
          const v = f.text(i);
          if (v !== null || !ignoreNulls) parts.push(`${f.key}:${v ?? 'null'}`);
        }
        return `{${parts.join(',')}}`;
      };
    }
  }
}

function numbers(v: Float64Array, a: number, b: number): string {
  let out = '[';
  for (let k = a; k < b; k++) out += (k > a ? ',' : '') + doubleText(v[k]);
  return out + ']';
}
