// Text forms of cells as Spark's show() prints them.
import { formatDouble } from '../linalg/format.js';

/** A cell as Spark's show() prints it: doubles in Java's form, ints plainly, vectors in Spark's notation. */
export function formatCell(v: unknown, kind: string): string {
  if (v === null || v === undefined) return 'null';
  if (kind === 'double' && typeof v === 'number') return formatDouble(v);
  return String(v);
}
