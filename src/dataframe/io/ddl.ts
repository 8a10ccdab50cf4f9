// Spark's DDL schema strings for reader.schema(): 'a INT, b STRING NOT NULL, `odd name` DOUBLE'.
import { parseTypeName, StructType, type StructField } from '../types.js';

export function parseDdlSchema(ddl: string): StructType {
  const fields: StructField[] = [];
  const text = ddl.trim();
  if (text === '') throw new Error('schema: the DDL string is empty; expected e.g. "a DOUBLE, b STRING"');
  for (const part of splitTopLevel(text)) {
    const m = /^\s*(`(?:[^`]|``)+`|[A-Za-z_][A-Za-z0-9_.]*)\s*:?\s*([A-Za-z_][A-Za-z0-9_]*)\s*(NOT\s+NULL)?\s*(?:COMMENT\s+'(?:[^']|\\')*')?\s*$/i.exec(part);
    if (!m) throw new Error(`schema: cannot parse '${part.trim()}' in "${ddl}"; expected "<name> <type> [NOT NULL]"`);
    const name = m[1].startsWith('`') ? m[1].slice(1, -1).replace(/``/g, '`') : m[1];
    let type;
    try {
      type = parseTypeName(m[2]);
    } catch (e) {
      throw new Error(`schema: column '${name}': ${(e as Error).message}`);
    }
    if (fields.some((f) => f.name === name)) throw new Error(`schema: column '${name}' appears twice in "${ddl}"`);
    fields.push({ name, type, nullable: !m[3] });
  }
  return new StructType(fields);
}

/** Splits on commas outside backticks. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let cur = '', quoted = false;
  for (const c of s) {
    if (c === '`') quoted = !quoted;
    if (c === ',' && !quoted) { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}
