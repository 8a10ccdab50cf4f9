// Text forms of cells as Spark's show() prints them (Spark 3.5+'s ToPrettyString).
import { formatDouble } from '../linalg/format.js';
import type { DataType } from './types.js';

/** What Spark 3.5+ prints for a null, at the top level and inside arrays and structs. */
export const NULL_TEXT = 'NULL';

/**
 * A cell as Spark's show() prints it: doubles in Java's form, ints plainly, vectors in Spark's
 * notation, arrays as `[a, b]` and structs as `{a, b}` (ToStringBase's brackets and separators).
 */
export function formatCell(v: unknown, type: DataType): string {
  if (v === null || v === undefined) return NULL_TEXT;
  switch (type.kind) {
    case 'double': return typeof v === 'number' ? formatDouble(v) : String(v);
    case 'array': return `[${(v as unknown[]).map((x) => formatCell(x, type.elementType)).join(', ')}]`;
    case 'struct': {
      const o = v as Record<string, unknown>;
      return `{${type.fields.map((f) => formatCell(o[f.name], f.type)).join(', ')}}`;
    }
    default: return String(v);
  }
}
