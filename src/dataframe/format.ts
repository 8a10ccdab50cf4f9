// Text forms of values as Spark prints them (Java's Double.toString, vectors, nulls).

/** Java's Double.toString with shortest round-trip digits: 1.0, 0.001, 1.0E7, 1.5E-4, NaN, Infinity. */
export function formatDouble(d: number): string {
  if (d !== d) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') || s.includes('e') ? plainDecimal(d, s) : `${s}.0`;
  }
  // Scientific: mantissa digits from JS's shortest representation.
  const [mant, exp] = d.toExponential().split('e');
  const m = mant.includes('.') ? mant : `${mant}.0`;
  return `${m}E${Number(exp)}`;
}

function plainDecimal(d: number, s: string): string {
  if (!s.includes('e')) return s;
  // Numbers like 1e-3 print in exponent form in JS but plainly in Java.
  return d.toFixed(20).replace(/0+$/, '').replace(/\.$/, '.0');
}

/** A cell as Spark's show() prints it: doubles in Java's form, ints plainly, vectors in Spark's notation. */
export function formatCell(v: unknown, kind: string): string {
  if (v === null || v === undefined) return 'null';
  if (kind === 'double' && typeof v === 'number') return formatDouble(v);
  return String(v);
}
