// JSON text with Spark's 64-bit longs kept exact. Spark writes a long param (seed) as a bare JSON
// integer, and PySpark's default seeds use all 64 bits (e.g. -6494758227775224237), beyond what a
// JS number holds exactly (2^53). These read such integers as bigint and write bigints as digits,
// so a seed Spark saved is loaded and saved again unchanged. Safe integers stay numbers.

// Marked strings carry bigints through JSON.parse / JSON.stringify (which know no bigint); the
// private-use character cannot occur in text Spark or Quiver writes unescaped inside a mark.
const MARK = '\u{E001}long:';
const MARKED_TEXT = /"\u{E001}long:(-?\d+)"/gu;

/** An integer literal (not part of a decimal or exponent) too long to be a safe integer. */
const LONG_LITERAL = /-?\d{16,}(?![.eE\d])/y;

/**
 * JSON.parse, except that integer literals outside Number's safe range become bigints
 * (exactly as written). Strings are left alone: only numbers outside them are considered.
 */
export function parseJSONExact(text: string): unknown {
  if (!/\d{16,}/.test(text)) return JSON.parse(text);
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      // Skip the string, escapes included.
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c !== '-' && (c < '0' || c > '9')) continue;
    LONG_LITERAL.lastIndex = i;
    const m = LONG_LITERAL.exec(text);
    if (m && !Number.isSafeInteger(Number(m[0]))) {
      out += `${text.slice(last, i)}"${MARK}${m[0]}"`;
      last = i + m[0].length;
    }
    // Skip the rest of the number.
    while (i + 1 < text.length && /[-+\d.eE]/.test(text[i + 1]!)) i++;
  }
  if (last === 0) return JSON.parse(text);
  return JSON.parse(out + text.slice(last), (_key, value: unknown) =>
    (typeof value === 'string' && value.startsWith(MARK) ? BigInt(value.slice(MARK.length)) : value));
}

/** JSON.stringify (no replacer, no indent) that writes bigints as bare integers. */
export function stringifyJSONExact(value: unknown): string | undefined {
  let marked = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    marked = true;
    return `${MARK}${v}`;
  });
  return marked && text !== undefined ? text.replace(MARKED_TEXT, '$1') : text;
}
