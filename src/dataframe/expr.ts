// Type resolution and compilation of column expressions. The driver resolves an expression
// against a schema (failing early with the column and types involved); an executor compiles it
// once into a JavaScript loop over the column arrays (cached), never evaluating row objects.
import type { RecordBatch } from 'apache-arrow';
import { exprName, type Expr } from './column.js';
import {
  booleanData, columnOf, decodeUtf8Column, primitiveData, unpackBits, utf8Data, validityBytes, type AnyData,
} from './batch.js';
import { unknownColumn, type DataType, type StructType, typeName } from './types.js';
import { formatDouble } from '../linalg/format.js';
import { udfFromSource, type UdfFunction } from './udf.js';
import { exprJson, literalSource } from './literal.js';
import { fitsInt64, longFromDouble } from './int64.js';

type Kind = DataType['kind'] | 'null';
export interface ResolvedType { kind: Kind; type: DataType | null; nullable: boolean }

const NUMERIC_RANK: Partial<Record<Kind, number>> = { int: 1, long: 2, double: 3 };
const isNum = (k: Kind) => NUMERIC_RANK[k] !== undefined;

function mismatch(e: Expr, why: string): Error {
  return new Error(`cannot resolve '${exprName(e)}' due to data type mismatch: ${why}`);
}

function widen(a: Kind, b: Kind): Kind | null {
  if (a === 'null') return b;
  if (b === 'null') return a;
  if (a === b) return a;
  if (isNum(a) && isNum(b)) return NUMERIC_RANK[a]! > NUMERIC_RANK[b]! ? a : b;
  return null;
}

/** Vectors, arrays and structs: values an expression can pass through or test for null, never compute with. */
const opaque = (k: Kind): boolean => k === 'vector' || k === 'array' || k === 'struct';
const atomic = (k: Kind): DataType | null => (k === 'null' || opaque(k) ? null : ({ kind: k } as DataType));

/** The type and nullability of an expression over a schema; throws naming the column or mismatch. */
export function resolveExpr(e: Expr, schema: StructType): ResolvedType {
  const r = (kind: Kind, nullable: boolean): ResolvedType => ({ kind, type: atomic(kind), nullable });
  switch (e.op) {
    case 'col': {
      if (!schema.has(e.name)) throw unknownColumn(e.name, schema);
      const f = schema.field(e.name);
      return { kind: f.type.kind, type: f.type, nullable: f.nullable };
    }
    case 'lit': {
      const v = e.value;
      if (v === null) return r('null', true);
      if (typeof v === 'boolean') return r('boolean', false);
      if (typeof v === 'string') return r('string', false);
      // -0 is a double: as an int it would be 0.
      if (typeof v === 'number') return r(Number.isInteger(v) && Math.abs(v) <= 2147483647 && !Object.is(v, -0) ? 'int' : 'double', false);
      throw new Error(`lit(): unsupported literal ${String(v)} (expected number, string, boolean or null)`);
    }
    case 'arith': {
      const a = resolveExpr(e.left, schema), b = resolveExpr(e.right, schema);
      for (const [side, t] of [[e.left, a], [e.right, b]] as const) {
        if (!isNum(t.kind) && t.kind !== 'null') throw mismatch(e, `'${e.fn}' requires numeric operands, but '${exprName(side)}' is ${t.kind}`);
      }
      const nullable = a.nullable || b.nullable || e.fn === '/' || e.fn === '%';
      if (e.fn === '/') return r('double', nullable);
      return r(widen(a.kind, b.kind) === 'null' ? 'int' : widen(a.kind, b.kind)!, nullable);
    }
    case 'cmp': {
      const a = resolveExpr(e.left, schema), b = resolveExpr(e.right, schema);
      if (opaque(a.kind) || opaque(b.kind)) throw mismatch(e, `${opaque(a.kind) ? a.kind : b.kind} columns cannot be compared`);
      if (widen(a.kind, b.kind) === null) {
        throw mismatch(e, `cannot compare ${a.kind} with ${b.kind} (cast one side explicitly)`);
      }
      return r('boolean', a.nullable || b.nullable);
    }
    case 'and': case 'or': {
      const a = resolveExpr(e.left, schema), b = resolveExpr(e.right, schema);
      for (const [side, t] of [[e.left, a], [e.right, b]] as const) {
        if (t.kind !== 'boolean' && t.kind !== 'null') throw mismatch(e, `'${e.op.toUpperCase()}' requires boolean operands, but '${exprName(side)}' is ${t.kind}`);
      }
      return r('boolean', a.nullable || b.nullable);
    }
    case 'not': {
      const a = resolveExpr(e.child, schema);
      if (a.kind !== 'boolean' && a.kind !== 'null') throw mismatch(e, `NOT requires a boolean operand, but '${exprName(e.child)}' is ${a.kind}`);
      return r('boolean', a.nullable);
    }
    case 'neg': {
      const a = resolveExpr(e.child, schema);
      if (!isNum(a.kind)) throw mismatch(e, `negation requires a numeric operand, but '${exprName(e.child)}' is ${a.kind}`);
      return r(a.kind, a.nullable);
    }
    case 'isNull': case 'isNotNull':
      resolveExpr(e.child, schema);
      return r('boolean', false);
    case 'isNaN': {
      const a = resolveExpr(e.child, schema);
      // Spark casts integers to double for isnan (always false for them); null is not NaN.
      if (!isNum(a.kind) && a.kind !== 'null') throw mismatch(e, `isnan requires a numeric operand, but '${exprName(e.child)}' is ${a.kind}`);
      return r('boolean', false);
    }
    case 'coalesce': {
      let kind: Kind = 'null';
      let nullable = true;
      for (const arg of e.args) {
        const t = resolveExpr(arg, schema);
        const w = widen(kind, t.kind);
        if (w === null || opaque(t.kind)) throw mismatch(e, `coalesce arguments must share a type, but found ${kind} and ${t.kind}`);
        kind = w; nullable &&= t.nullable;
      }
      return r(kind === 'null' ? 'string' : kind, nullable);
    }
    case 'cast': {
      const a = resolveExpr(e.child, schema);
      if (opaque(a.kind)) throw mismatch(e, `a ${a.kind} cannot be cast`);
      // Casts from strings to other types may produce null (and double to int never fails here).
      return r(e.to, a.nullable || (a.kind === 'string' && e.to !== 'string'));
    }
    case 'alias':
      return resolveExpr(e.child, schema);
    case 'like': {
      const a = resolveExpr(e.child, schema);
      if (a.kind !== 'string' && a.kind !== 'null') throw mismatch(e, `LIKE requires a string operand, but '${exprName(e.child)}' is ${a.kind}`);
      return r('boolean', a.nullable);
    }
    case 'udf': {
      e.args.forEach((a) => {
        const t = resolveExpr(a, schema);
        if (opaque(t.kind)) throw mismatch(e, `udf arguments must be numbers, strings or booleans, but '${exprName(a)}' is a ${t.kind}`);
      });
      return r(e.returnType, true);
    }
    case 'when': {
      let kind: Kind = 'null';
      let nullable = e.otherwise === null;
      for (const [cond, value] of e.branches) {
        const c = resolveExpr(cond, schema);
        if (c.kind !== 'boolean' && c.kind !== 'null') throw mismatch(e, `WHEN condition '${exprName(cond)}' is ${c.kind}, not boolean`);
        const v = resolveExpr(value, schema);
        const w = widen(kind, v.kind);
        if (w === null || opaque(v.kind)) throw mismatch(e, `THEN and ELSE values must share a type, but found ${kind} and ${v.kind}`);
        kind = w; nullable ||= v.nullable;
      }
      if (e.otherwise) {
        const v = resolveExpr(e.otherwise, schema);
        const w = widen(kind, v.kind);
        if (w === null || opaque(v.kind)) throw mismatch(e, `THEN and ELSE values must share a type, but found ${kind} and ${v.kind}`);
        kind = w; nullable ||= v.nullable;
      }
      return r(kind === 'null' ? 'string' : kind, nullable);
    }
  }
}

// --- compilation -----------------------------------------------------------------------------

/** Runtime helpers the generated code calls (Spark's non-ANSI cast semantics). */
const H = {
  cmpD(a: number, b: number): number {
    // Spark orders NaN above every other double and equal to itself.
    if (a !== a) return b !== b ? 0 : 1;
    if (b !== b) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  },
  strToDouble(s: string): number | null {
    const t = s.trim();
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(t)) return Number(t.replace(/[dDfF]$/, ''));
    if (/^[+-]?(NaN|Infinity|Inf)$/i.test(t)) return t.toLowerCase().includes('nan') ? NaN : t.startsWith('-') ? -Infinity : Infinity;
    return null;
  },
  /** Java's (int) of a double: truncates toward zero, saturates, NaN -> 0. */
  doubleToInt(d: number): number {
    if (d !== d) return 0;
    if (d >= 2147483647) return 2147483647;
    if (d <= -2147483648) return -2147483648;
    return Math.trunc(d);
  },
  doubleToLong(d: number): number {
    if (d !== d) return 0;
    return Math.max(-9223372036854775808, Math.min(9223372036854775807, Math.trunc(d)));
  },
  strToBool(s: string): number | null {
    const t = s.trim().toLowerCase();
    if (t === 't' || t === 'true' || t === 'y' || t === 'yes' || t === '1') return 1;
    if (t === 'f' || t === 'false' || t === 'n' || t === 'no' || t === '0') return 0;
    return null;
  },
  fmtDouble: formatDouble,
  /** Checks a UDF's result against its declared type (a wrong type is the UDF's bug: name it). */
  udfResult(r: unknown, kind: string, name: string, row: number): number | string {
    const bad = () => new Error(`udf ${name} returned ${typeof r === 'string' ? JSON.stringify(r) : String(r)} (${typeof r}) for row ${row}, but its return type is ${kind}`);
    switch (kind) {
      case 'double': if (typeof r === 'number') return r; break;
      case 'int': if (typeof r === 'number' && Number.isInteger(r) && r >= -2147483648 && r <= 2147483647) return r; break;
      case 'long': if (typeof r === 'number' && Number.isSafeInteger(r)) return r; if (typeof r === 'bigint' && fitsInt64(r)) return Number(r); break;
      case 'boolean': if (typeof r === 'boolean') return r ? 1 : 0; break;
      case 'string': if (typeof r === 'string') return r; break;
    }
    throw bad();
  },
};

interface Gen { v: string; n: string; kind: Kind }

class CodeGen {
  private counter = 0;
  readonly inputs: { index: number; kind: Kind }[] = [];
  readonly udfs: string[] = [];
  /** Regular expressions the loop uses, built once per compiled expression (LIKE patterns). */
  readonly regexps: RegExp[] = [];
  constructor(private readonly schema: StructType) {}

  fresh(): number { return this.counter++; }

  input(name: string): { slot: number; kind: Kind } {
    const index = this.schema.indexOf(name);
    let slot = this.inputs.findIndex((x) => x.index === index);
    if (slot < 0) { slot = this.inputs.length; this.inputs.push({ index, kind: this.schema.fields[index].type.kind }); }
    return { slot, kind: this.inputs[slot].kind };
  }

  gen(e: Expr, out: string[]): Gen {
    const id = this.fresh();
    const v = `v${id}`, n = `n${id}`;
    const kind = resolveExpr(e, this.schema).kind;
    const emit = (s: string) => out.push(s);
    switch (e.op) {
      case 'col': {
        const { slot, kind: k } = this.input(e.name);
        if (k === 'string') { emit(`const ${v} = S${slot}[i]; const ${n} = ${v} === null;`); break; }
        if (opaque(k)) { emit(`const ${v} = 0; const ${n} = M${slot} !== null && M${slot}[i] === 0;`); break; }
        const read = k === 'long' ? `Number(A${slot}[i])` : `A${slot}[i]`;
        emit(`const ${n} = M${slot} !== null && M${slot}[i] === 0; const ${v} = ${n} ? 0 : ${read};`);
        break;
      }
      case 'lit': {
        const lit = e.value;
        if (lit === null) emit(`const ${v} = 0; const ${n} = true;`);
        else emit(`const ${v} = ${literalSource(lit)}; const ${n} = false;`);
        break;
      }
      case 'arith': {
        const a = this.gen(e.left, out), b = this.gen(e.right, out);
        const intMath = kind === 'int';
        const zeroGuard = e.fn === '/' || e.fn === '%' ? ` || ${b.v} === 0` : '';
        let expr: string;
        if (e.fn === '*' && intMath) expr = `Math.imul(${a.v}, ${b.v})`;
        else expr = intMath && e.fn !== '/' ? `(${a.v} ${e.fn} ${b.v}) | 0` : `${a.v} ${e.fn} ${b.v}`;
        if (kind === 'long' && e.fn === '%') expr = `${a.v} % ${b.v}`;
        emit(`const ${n} = ${a.n} || ${b.n}${zeroGuard}; const ${v} = ${n} ? 0 : ${expr};`);
        break;
      }
      case 'cmp': {
        const a = this.gen(e.left, out), b = this.gen(e.right, out);
        const op = e.fn === '==' ? '===' : e.fn === '!=' ? '!==' : e.fn;
        const doubles = a.kind === 'double' || b.kind === 'double';
        const test = doubles ? `H.cmpD(${a.v}, ${b.v}) ${op} 0` : `${a.v} ${op} ${b.v}`;
        emit(`const ${n} = ${a.n} || ${b.n}; const ${v} = ${n} ? 0 : (${test} ? 1 : 0);`);
        break;
      }
      case 'and': {
        const a = this.gen(e.left, out), b = this.gen(e.right, out);
        // Kleene logic: false wins over null.
        emit(`const f${id} = (!${a.n} && !${a.v}) || (!${b.n} && !${b.v}); const ${n} = !f${id} && (${a.n} || ${b.n}); const ${v} = (!f${id} && !${n}) ? 1 : 0;`);
        break;
      }
      case 'or': {
        const a = this.gen(e.left, out), b = this.gen(e.right, out);
        emit(`const t${id} = (!${a.n} && !!${a.v}) || (!${b.n} && !!${b.v}); const ${n} = !t${id} && (${a.n} || ${b.n}); const ${v} = t${id} ? 1 : 0;`);
        break;
      }
      case 'not': {
        const a = this.gen(e.child, out);
        emit(`const ${n} = ${a.n}; const ${v} = ${a.v} ? 0 : 1;`);
        break;
      }
      case 'neg': {
        const a = this.gen(e.child, out);
        emit(`const ${n} = ${a.n}; const ${v} = ${n} ? 0 : ${kind === 'int' ? `(-${a.v}) | 0` : `-${a.v}`};`);
        break;
      }
      case 'isNull': case 'isNotNull': {
        const a = this.gen(e.child, out);
        emit(`const ${n} = false; const ${v} = ${e.op === 'isNull' ? '' : '!'}${a.n} ? 1 : 0;`);
        break;
      }
      case 'isNaN': {
        const a = this.gen(e.child, out);
        emit(`const ${n} = false; const ${v} = !${a.n} && ${a.v} !== ${a.v} ? 1 : 0;`);
        break;
      }
      case 'coalesce': {
        // Arguments are evaluated in order and only until one is non-null.
        emit(`let ${v} = ${kind === 'string' ? 'null' : '0'}; let ${n} = true;`);
        let closers = 0;
        for (const arg of e.args) {
          const r = this.gen(arg, out);
          out.push(`${v} = ${r.v}; ${n} = ${r.n}; if (${n}) {`);
          closers++;
        }
        out.push('}'.repeat(closers));
        break;
      }
      case 'udf': {
        const args = e.args.map((a) => this.gen(a, out));
        const slot = this.udfs.push(e.source) - 1;
        // UDFs see nulls as null and booleans as booleans, as Spark passes boxed values.
        const call = args.map((a) => `${a.n} ? null : ${a.kind === 'boolean' ? `${a.v} === 1` : a.v}`).join(', ');
        emit(`const r${id} = U[${slot}](${call}); const ${n} = r${id} === null || r${id} === undefined; const ${v} = ${n} ? ${kind === 'string' ? 'null' : '0'} : H.udfResult(r${id}, '${kind}', ${JSON.stringify(e.name)}, i);`);
        break;
      }
      case 'like': {
        const a = this.gen(e.child, out);
        const slot = this.regexps.push(likeRegExp(e.pattern)) - 1;
        emit(`const ${n} = ${a.n}; const ${v} = ${n} ? 0 : (R[${slot}].test(${a.v}) ? 1 : 0);`);
        break;
      }
      case 'alias':
        return this.gen(e.child, out);
      case 'cast':
        return this.cast(e.child, e.to, out, id);
      case 'when': {
        emit(`let ${v} = 0; let ${n} = true;`);
        let closers = 0;
        for (const [cond, value] of e.branches) {
          const c = this.gen(cond, out);
          out.push(`if (!${c.n} && ${c.v}) {`);
          const r = this.gen(value, out);
          out.push(`${v} = ${r.v}; ${n} = ${r.n}; } else {`);
          closers++;
        }
        if (e.otherwise) { const r = this.gen(e.otherwise, out); out.push(`${v} = ${r.v}; ${n} = ${r.n};`); }
        out.push('}'.repeat(closers));
        break;
      }
    }
    return { v, n, kind };
  }

  private cast(child: Expr, to: Kind, out: string[], id: number): Gen {
    const a = this.gen(child, out);
    const v = `v${id}`, n = `n${id}`;
    const from = a.kind;
    let conv: string; let extraNull = 'false';
    if (from === to || (from === 'null')) conv = a.v;
    else if (from === 'string') {
      if (to === 'double') { conv = `H.strToDouble(${a.v})`; }
      else if (to === 'int') { conv = `(t${id} === null ? null : H.doubleToInt(t${id}))`; out.push(`const t${id} = ${a.n} ? null : H.strToDouble(${a.v}); const u${id} = t${id} !== null && (t${id} !== t${id} || !isFinite(t${id}));`); extraNull = `u${id}`; }
      else if (to === 'long') { conv = `(t${id} === null ? null : H.doubleToLong(t${id}))`; out.push(`const t${id} = ${a.n} ? null : H.strToDouble(${a.v}); const u${id} = t${id} !== null && (t${id} !== t${id} || !isFinite(t${id}));`); extraNull = `u${id}`; }
      else conv = `H.strToBool(${a.v})`;
      out.push(`const c${id} = ${a.n} ? null : ${conv}; const ${n} = c${id} === null || ${extraNull}; const ${v} = ${n} ? 0 : c${id};`);
      return { v, n, kind: to };
    } else if (to === 'string') {
      conv = from === 'double' ? `H.fmtDouble(${a.v})` : from === 'boolean' ? `(${a.v} ? 'true' : 'false')` : `String(${a.v})`;
    } else if (to === 'int') conv = from === 'double' || from === 'long' ? `H.doubleToInt(${a.v})` : `${a.v}`;
    else if (to === 'long') conv = from === 'double' ? `H.doubleToLong(${a.v})` : `${a.v}`;
    else if (to === 'boolean') conv = `(${a.v} !== 0 ? 1 : 0)`;
    else conv = `${a.v}`; // numeric or boolean to double
    out.push(`const ${n} = ${a.n}; const ${v} = ${n} ? ${to === 'string' ? 'null' : '0'} : ${conv};`);
    return { v, n, kind: to };
  }
}

export type CompiledExpr = (batch: RecordBatch) => AnyData;

const compiled = new Map<string, CompiledExpr>();

/** Compiles an expression for batches of `schema`; cached per (expression, input types). */
export function compileExpr(e: Expr, schema: StructType): CompiledExpr {
  const key = exprJson(e) + '|' + schema.fields.map((f) => `${f.name}:${typeName(f.type)}`).join(',');
  let fn = compiled.get(key);
  if (!fn) { fn = buildCompiled(e, schema); compiled.set(key, fn); }
  return fn;
}

function buildCompiled(e: Expr, schema: StructType): CompiledExpr {
  const resolved = resolveExpr(e, schema);
  // A bare column reference passes its Arrow data through untouched (zero copy, any type).
  const bare = stripAlias(e);
  if (bare.op === 'col') {
    const index = schema.indexOf(bare.name);
    return (batch) => columnOf(batch, index);
  }
  if (opaque(resolved.kind)) throw new Error(`'${exprName(e)}': ${resolved.kind} values can only be selected, not computed`);
  const cg = new CodeGen(schema);
  const body: string[] = [];
  const root = cg.gen(e, body);
  const outKind = resolved.kind === 'null' ? 'string' : resolved.kind;
  const alloc = { double: 'new Float64Array(n)', int: 'new Int32Array(n)', long: 'new Float64Array(n)', boolean: 'new Uint8Array(n)', string: 'new Array(n)' }[outKind as 'double'];
  const store = outKind === 'string' ? `out[i] = ${root.n} ? null : ${root.v};` : `out[i] = ${root.n} ? 0 : ${root.v}; valid[i] = ${root.n} ? 0 : 1;`;
  const prologue = cg.inputs.map((inp, s) => `const A${s} = inputs[${s}].values, M${s} = inputs[${s}].valid, S${s} = inputs[${s}].strings;`).join('\n');
  const src = `${prologue}\nconst out = ${alloc}; const valid = new Uint8Array(n);\nfor (let i = 0; i < n; i++) {\n${body.join('\n')}\n${store}\n}\nreturn { out, valid };`;
  const loop = new Function('H', 'U', 'R', 'inputs', 'n', src) as (h: typeof H, u: UdfFunction[], r: RegExp[], inputs: InputArrays[], n: number) => { out: unknown; valid: Uint8Array };
  const inputs = cg.inputs;
  const udfs = cg.udfs.map(udfFromSource);
  const regexps = cg.regexps;
  return (batch) => {
    const n = batch.numRows;
    const arrays = inputs.map((inp) => inputArrays(columnOf(batch, inp.index), inp.kind));
    const { out, valid } = loop(H, udfs, regexps, arrays, n);
    return buildOutput(outKind, out, valid, n);
  };
}

function stripAlias(e: Expr): Expr { return e.op === 'alias' ? stripAlias(e.child) : e; }

/** A LIKE pattern as an anchored regular expression: % any run, _ one character, \\ escapes the next. */
export function likeRegExp(pattern: string): RegExp {
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) { src += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'); continue; }
    if (c === '%') src += '[\\s\\S]*';
    else if (c === '_') src += '[\\s\\S]';
    else src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 'u');
}

interface InputArrays { values: ArrayLike<number | bigint> | null; valid: Uint8Array | null; strings: (string | null)[] | null }

function inputArrays(data: AnyData, kind: Kind): InputArrays {
  const valid = validityBytes(data);
  switch (kind) {
    case 'string': return { values: null, valid, strings: decodeUtf8Column(data) };
    case 'boolean': return { values: unpackBits(data.values as Uint8Array, data.offset, data.length, 0), valid, strings: null };
    case 'vector': case 'array': case 'struct': return { values: null, valid, strings: null };
    default: {
      const v = data.values as Float64Array;
      return { values: v.subarray(data.offset, data.offset + data.length), valid, strings: null };
    }
  }
}

function buildOutput(kind: Kind, out: unknown, valid: Uint8Array, n: number): AnyData {
  switch (kind) {
    case 'double': return primitiveData({ kind: 'double' }, out as Float64Array, valid);
    case 'int': return primitiveData({ kind: 'int' }, out as Int32Array, valid);
    case 'long': {
      const src = out as Float64Array, big = new BigInt64Array(n);
      for (let i = 0; i < n; i++) big[i] = longFromDouble(src[i]);
      return primitiveData({ kind: 'long' }, big, valid);
    }
    case 'boolean': return booleanData(out as Uint8Array, valid, n);
    default: return utf8Data(out as (string | null)[], n);
  }
}

/** Evaluates a boolean condition into a selection vector of the rows where it is true (null is false). */
export function selectRows(cond: Expr, schema: StructType, batch: RecordBatch): { indices: Int32Array; count: number } {
  const data = compileExpr(cond, schema)(batch);
  const n = batch.numRows;
  const bits = data.values as Uint8Array;
  const valid = validityBytes(data);
  const indices = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const j = data.offset + i;
    if (((bits[j >> 3] >> (j & 7)) & 1) === 1 && (valid === null || valid[i] === 1)) indices[count++] = i;
  }
  return { indices, count };
}
