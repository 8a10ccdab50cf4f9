// A JSON lexer over a range of a string, with the leniencies Spark enables in Jackson (single
// quotes, NaN/Infinity by default; comments, unquoted names, leading zeros on request). Shared by
// schema inference and the reader; numbers keep their lexical form (1 is integral, 1.0 is not).
import { formatJavaDouble } from './csv-format.js';
import type { JsonSyntax } from './json-options.js';
import { fitsInt64 as fitsBigInt64 } from '../int64.js';

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly pos: number) { super(message); }
}

const TAB = 9, LF = 10, CR = 13, SPACE = 32, DQUOTE = 34, SQUOTE = 39, PLUS = 43, COMMA = 44, MINUS = 45, DOT = 46,
  SLASH = 47, STAR = 42, ZERO = 48, NINE = 57, COLON = 58, LBRACKET = 91, BACKSLASH = 92, RBRACKET = 93, LBRACE = 123, RBRACE = 125;

export const C = { LBRACE, RBRACE, LBRACKET, RBRACKET, COMMA, COLON, DQUOTE, SQUOTE } as const;

/** A Spark vector in JSON: Spark's {type, size, indices, values} object or (read only) a plain array. */
export interface JsonVector { size: number; indices: number[] | null; values: number[] }

export class JsonLexer {
  text = '';
  pos = 0;
  end = 0;
  /** The last number read: its text is text.slice(numStart, numEnd); integral when no fraction or exponent. */
  numStart = 0;
  numEnd = 0;
  numInt = false;

  constructor(readonly syn: JsonSyntax) {}

  reset(text: string, start: number, end: number): void { this.text = text; this.pos = start; this.end = end; }

  fail(why: string, at = this.pos): never { throw new JsonSyntaxError(why, at); }

  /** Skips whitespace (and comments when allowed); the next character's code, or -1 at the end. */
  ws(): number {
    const t = this.text, end = this.end;
    let p = this.pos;
    for (;;) {
      if (p >= end) { this.pos = p; return -1; }
      const c = t.charCodeAt(p);
      if (c === SPACE || c === LF || c === CR || c === TAB) { p++; continue; }
      if (c === SLASH && this.syn.allowComments && p + 1 < end) {
        const d = t.charCodeAt(p + 1);
        if (d === SLASH) { p += 2; while (p < end && t.charCodeAt(p) !== LF && t.charCodeAt(p) !== CR) p++; continue; }
        if (d === STAR) {
          const close = t.indexOf('*/', p + 2);
          if (close < 0 || close + 2 > end) this.fail('unterminated /* comment', p);
          p = close + 2;
          continue;
        }
      }
      this.pos = p;
      return c;
    }
  }

  expect(code: number, what: string): void {
    if (this.ws() !== code) this.fail(this.found(`expected ${what}`));
    this.pos++;
  }

  /**
   * At an opening '{' or '[': steps past it and returns true when the container is empty (having
   * also stepped past its `close`); then read members while `another(close)`.
   */
  openEmpty(close: number): boolean {
    this.pos++;
    if (this.ws() !== close) return false;
    this.pos++;
    return true;
  }

  /** After a member or element: consumes a ',' (true: another follows) or `close` (false); anything else fails. */
  another(close: number): boolean {
    const d = this.ws();
    this.pos++;
    if (d === COMMA) return true;
    if (d === close) return false;
    this.pos--;
    return this.fail(this.found(`expected ',' or '${String.fromCharCode(close)}'`));
  }

  /** "expected X but found Y" with the character (or the end of the record). */
  found(expected: string): string {
    if (this.pos >= this.end) return `${expected} but the record ended`;
    const ch = String.fromCodePoint(this.text.codePointAt(this.pos)!);
    return `${expected} but found ${JSON.stringify(ch)}`;
  }

  isQuote(c: number): boolean { return c === DQUOTE || (c === SQUOTE && this.syn.allowSingleQuotes); }

  /** A string at the current position (after ws), unescaped. */
  string(): string {
    const t = this.text, end = this.end, q = t.charCodeAt(this.pos);
    const start = this.pos + 1;
    for (let p = start; p < end; p++) {
      const c = t.charCodeAt(p);
      if (c === q) { this.pos = p + 1; return t.slice(start, p); }
      if (c === BACKSLASH) return this.slowString(q, start, p);
      if (c < SPACE && !this.syn.allowUnquotedControlChars) this.fail(`control character U+${c.toString(16).padStart(4, '0')} inside a string must be escaped`, p);
    }
    return this.fail('unterminated string', this.pos);
  }

  private slowString(q: number, start: number, at: number): string {
    const t = this.text, end = this.end;
    let out = t.slice(start, at);
    let p = at;
    while (p < end) {
      const c = t.charCodeAt(p);
      if (c === q) { this.pos = p + 1; return out; }
      if (c === BACKSLASH) {
        if (p + 1 >= end) break;
        const e = t.charCodeAt(p + 1);
        p += 2;
        switch (e) {
          case DQUOTE: out += '"'; break;
          case BACKSLASH: out += '\\'; break;
          case SLASH: out += '/'; break;
          case 98: out += '\b'; break;
          case 102: out += '\f'; break;
          case 110: out += '\n'; break;
          case 114: out += '\r'; break;
          case 116: out += '\t'; break;
          case 117: {
            const hex = t.slice(p, p + 4);
            if (p + 4 > end || !/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape: expected 4 hexadecimal digits', p - 2);
            out += String.fromCharCode(parseInt(hex, 16));
            p += 4;
            break;
          }
          default:
            if ((e === SQUOTE && this.syn.allowSingleQuotes) || this.syn.allowBackslashEscapingAnyCharacter) out += t[p - 1];
            else this.fail(`unrecognised escape '\\${t[p - 1]}' in a string`, p - 2);
        }
        continue;
      }
      if (c < SPACE && !this.syn.allowUnquotedControlChars) this.fail(`control character U+${c.toString(16).padStart(4, '0')} inside a string must be escaped`, p);
      const next = nextSpecial(t, p + 1, end, q);
      out += t.slice(p, next);
      p = next;
    }
    return this.fail('unterminated string', start - 1);
  }

  /** A field name: a string, or an identifier when unquoted names are allowed. */
  key(): string {
    const c = this.ws();
    if (this.isQuote(c)) return this.string();
    if (this.syn.allowUnquotedFieldNames && isIdentStart(c)) {
      const start = this.pos;
      let p = start + 1;
      while (p < this.end && isIdentPart(this.text.charCodeAt(p))) p++;
      this.pos = p;
      return this.text.slice(start, p);
    }
    return this.fail(this.found('expected a field name in double quotes'));
  }

  /** Whether the value at the current position (after ws) starts a number. */
  startsNumber(c: number): boolean {
    return (c >= ZERO && c <= NINE) || c === MINUS || (this.syn.allowNonNumericNumbers && (c === 78 /* N */ || c === 73 /* I */ || c === PLUS));
  }

  /** A number at the current position; sets numStart/numEnd/numInt and returns its value. */
  number(): number {
    const t = this.text, end = this.end;
    const start = this.pos;
    let p = start;
    let c = t.charCodeAt(p);
    const sign = c === MINUS || c === PLUS;
    if (sign) c = t.charCodeAt(++p);
    if (this.syn.allowNonNumericNumbers && (c === 78 || c === 73)) {
      for (const word of c === 78 ? ['NaN'] : ['Infinity', 'INF']) {
        if (t.startsWith(word, p) && !isIdentPart(t.charCodeAt(p + word.length))) {
          if (word === 'INF' && !sign) continue;
          if (word === 'NaN' && sign) continue;
          this.pos = p + word.length;
          this.numStart = start; this.numEnd = this.pos; this.numInt = false;
          return word === 'NaN' ? NaN : t.charCodeAt(start) === MINUS ? -Infinity : Infinity;
        }
      }
      this.fail('invalid number', start);
    }
    if (t.charCodeAt(start) === PLUS) this.fail("a number cannot start with '+'", start);
    const digitsStart = p;
    let value = 0;
    while (p < end && (c = t.charCodeAt(p)) >= ZERO && c <= NINE) { value = value * 10 + (c - ZERO); p++; }
    const intDigits = p - digitsStart;
    if (intDigits === 0) this.fail('invalid number: expected a digit', start);
    if (intDigits > 1 && t.charCodeAt(digitsStart) === ZERO && !this.syn.allowNumericLeadingZeros) {
      this.fail('invalid number: leading zeros are not allowed (option allowNumericLeadingZeros)', start);
    }
    let integral = true;
    if (p < end && t.charCodeAt(p) === DOT) {
      integral = false;
      const f = ++p;
      while (p < end && (c = t.charCodeAt(p)) >= ZERO && c <= NINE) p++;
      if (p === f) this.fail('invalid number: expected a digit after the decimal point', start);
    }
    if (p < end && ((c = t.charCodeAt(p)) === 101 || c === 69)) {
      integral = false;
      p++;
      if (p < end && ((c = t.charCodeAt(p)) === PLUS || c === MINUS)) p++;
      const e = p;
      while (p < end && (c = t.charCodeAt(p)) >= ZERO && c <= NINE) p++;
      if (p === e) this.fail('invalid number: expected a digit in the exponent', start);
    }
    if (p < end && !isDelimiter(t.charCodeAt(p))) this.fail(`invalid number '${t.slice(start, Math.min(end, p + 1))}'`, start);
    this.pos = p;
    this.numStart = start; this.numEnd = p; this.numInt = integral;
    if (integral && intDigits <= 15) return t.charCodeAt(start) === MINUS ? -value : value;
    return Number(t.slice(start, p));
  }

  /** The literal `word` (true, false, null) at the current position. */
  literal(word: string): void {
    if (!this.text.startsWith(word, this.pos) || this.pos + word.length > this.end || isIdentPart(this.text.charCodeAt(this.pos + word.length))) {
      this.fail(this.found('expected a JSON value'));
    }
    this.pos += word.length;
  }

  /** Skips one value of any kind. */
  skip(): void {
    const c = this.ws();
    if (c === LBRACE) {
      if (this.openEmpty(RBRACE)) return;
      do {
        this.key();
        this.expect(COLON, "':' after a field name");
        this.skip();
      } while (this.another(RBRACE));
      return;
    }
    if (c === LBRACKET) {
      if (this.openEmpty(RBRACKET)) return;
      do this.skip(); while (this.another(RBRACKET));
      return;
    }
    this.scalar(c);
  }

  /** Consumes a scalar: 's' string, 'n' number, 't' true, 'f' false, 'z' null. */
  scalar(c = this.ws()): 's' | 'n' | 't' | 'f' | 'z' {
    if (this.isQuote(c)) { this.string(); return 's'; }
    if (c === 116) { this.literal('true'); return 't'; }
    if (c === 102) { this.literal('false'); return 'f'; }
    if (c === 110) { this.literal('null'); return 'z'; }
    if (this.startsNumber(c)) { this.number(); return 'n'; }
    return this.fail(this.found('expected a JSON value'));
  }

  /**
   * The value as compact JSON text (what a string column holds for an object or array, as Spark's
   * copy of the structure): strings re-escaped, integers as written, other numbers as Java prints doubles.
   */
  copy(): string {
    const c = this.ws();
    if (c === LBRACE || c === LBRACKET) {
      const close = c === LBRACE ? RBRACE : RBRACKET;
      let out = c === LBRACE ? '{' : '[';
      if (this.openEmpty(close)) return out + String.fromCharCode(close);
      for (let first = true; ; first = false) {
        if (!first) out += ',';
        if (c === LBRACE) {
          out += JSON.stringify(this.key()) + ':';
          this.expect(COLON, "':' after a field name");
        }
        out += this.copy();
        if (!this.another(close)) return out + String.fromCharCode(close);
      }
    }
    if (this.isQuote(c)) return JSON.stringify(this.string());
    if (this.startsNumber(c)) {
      const v = this.number();
      if (this.numInt) return this.text.slice(this.numStart, this.numEnd);
      return Number.isFinite(v) ? formatJavaDouble(v) : `"${formatJavaDouble(v)}"`;
    }
    const kind = this.scalar(c);
    return kind === 't' ? 'true' : kind === 'f' ? 'false' : 'null';
  }

  /**
   * A number for a double slot: a number, or the strings Spark reads as NaN and infinities.
   * Returns undefined (having consumed the value) for anything else.
   */
  doubleValue(c = this.ws()): number | undefined {
    if (this.startsNumber(c)) return this.number();
    if (this.isQuote(c)) {
      const s = this.string();
      if (!this.syn.allowNonNumericNumbers) return undefined;
      if (s === 'NaN') return NaN;
      if (s === 'Infinity' || s === '+Infinity' || s === '+INF') return Infinity;
      if (s === '-Infinity' || s === '-INF') return -Infinity;
      return undefined;
    }
    this.skip();
    return undefined;
  }

  /**
   * A vector: Spark's JSON form of its vector type ({"type":1,"values":[...]} dense,
   * {"type":0,"size":n,"indices":[...],"values":[...]} sparse, `size`/`indices` null or absent when
   * dense) or, when `arrays`, a plain array of numbers. On anything else the position is restored
   * and null returned (a syntax error inside also restores, for the caller to report).
   */
  vector(arrays: boolean): JsonVector | null {
    const start = this.pos;
    try {
      const c = this.ws();
      if (c === LBRACKET) {
        if (!arrays) return null;
        const values = this.numberArray(false);
        if (values) return { size: values.length, indices: null, values };
      } else if (c === LBRACE) {
        const v = this.vectorObject();
        if (v) return v;
      }
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
    }
    this.pos = start;
    return null;
  }

  private vectorObject(): JsonVector | null {
    this.pos++;
    let type = -1, size: number | null = null;
    let indices: number[] | null = null, values: number[] | null = null;
    if (this.ws() === RBRACE) return null;
    for (;;) {
      const k = this.key();
      this.expect(COLON, "':' after a field name");
      const c = this.ws();
      if (c === 110) this.literal('null');
      else if (k === 'type' && this.startsNumber(c)) {
        const v = this.number();
        if (!this.numInt || (v !== 0 && v !== 1)) return null;
        type = v;
      } else if (k === 'size' && this.startsNumber(c)) {
        const v = this.number();
        if (!this.numInt || v < 0 || v > 2147483647) return null;
        size = v;
      } else if (k === 'indices' && c === LBRACKET) {
        if (!(indices = this.numberArray(true))) return null;
      } else if (k === 'values' && c === LBRACKET) {
        if (!(values = this.numberArray(false))) return null;
      } else return null;
      const d = this.ws();
      this.pos++;
      if (d === COMMA) continue;
      if (d === RBRACE) break;
      return null;
    }
    if (values === null) return null;
    if (type === 1) return size === null && indices === null ? { size: values.length, indices: null, values } : null;
    if (type !== 0 || size === null || indices === null || indices.length !== values.length) return null;
    for (let i = 0; i < indices.length; i++) {
      if (indices[i] >= size || (i > 0 && indices[i] <= indices[i - 1])) return null;
    }
    return { size, indices, values };
  }

  /** [n, n, ...]: doubles (NaN/Infinity strings allowed) or non-negative int32 indices; null if not. */
  private numberArray(ints: boolean): number[] | null {
    this.pos++;
    const out: number[] = [];
    if (this.ws() === RBRACKET) { this.pos++; return out; }
    for (;;) {
      const c = this.ws();
      let v: number | undefined;
      if (ints) {
        if (!this.startsNumber(c)) return null;
        v = this.number();
        if (!this.numInt || !(v >= 0 && v <= 2147483647)) return null;
      } else {
        if (!this.startsNumber(c) && !this.isQuote(c)) return null;
        v = this.doubleValue(c);
        if (v === undefined) return null;
      }
      out.push(v);
      const d = this.ws();
      this.pos++;
      if (d === COMMA) continue;
      if (d === RBRACKET) return out;
      return null;
    }
  }
}

function nextSpecial(t: string, p: number, end: number, q: number): number {
  while (p < end) {
    const c = t.charCodeAt(p);
    if (c === q || c === BACKSLASH || c < SPACE) return p;
    p++;
  }
  return p;
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === RBRACE || c === RBRACKET || c === SPACE || c === LF || c === CR || c === TAB || c === SLASH;
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= ZERO && c <= NINE);
}

/** Whether an integral number's text is within a signed 64-bit range. */
export function fitsInt64(text: string): boolean {
  const digits = text.charCodeAt(0) === MINUS ? text.length - 1 : text.length;
  if (digits < 19) return true;
  if (digits > 19 && !/^-?0/.test(text)) return false;
  return fitsBigInt64(BigInt(text));
}
