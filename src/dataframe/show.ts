// Spark's show(): an aligned text table, cells truncated to 20 characters by default.
import type { Row } from './rows.js';
import { formatCell } from './format.js';
import type { StructType } from './types.js';

export function formatShow(schema: StructType, rows: Row[], numRows: number, truncate: boolean | number): string {
  const width = truncate === true ? 20 : truncate === false ? 0 : truncate;
  const cut = (s: string) => (width > 0 && s.length > width ? (width < 4 ? s.slice(0, width) : s.slice(0, width - 3) + '...') : s);
  const shown = rows.slice(0, numRows);
  const header = schema.fieldNames.map(cut);
  const cells = shown.map((r) => schema.fields.map((f) => cut(formatCell(r[f.name], f.type.kind))));
  const widths = header.map((h, c) => Math.max(3, h.length, ...cells.map((row) => row[c].length)));
  const pad = (s: string, w: number) => (width > 0 ? s.padStart(w) : s.padEnd(w));
  const sep = '+' + widths.map((w) => '-'.repeat(w)).join('+') + '+';
  const line = (vals: string[]) => '|' + vals.map((v, c) => pad(v, widths[c])).join('|') + '|';
  const out = [sep, line(header), sep, ...cells.map(line), sep];
  if (rows.length > numRows) out.push(`only showing top ${numRows} row${numRows === 1 ? '' : 's'}`);
  return out.join('\n') + '\n';
}
