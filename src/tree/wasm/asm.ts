// A minimal WebAssembly assembler: enough to write the learner's hot loops as small functions over
// one imported shared memory, without a toolchain. Functions are built with `Fn` (named locals,
// structured loops with break/continue by label) and packed by `wasmModule`.

export const I32 = 0x7f;
export const F64 = 0x7c;
/** 128-bit SIMD vector (two f64 lanes here). */
export const V128 = 0x7b;
type ValType = typeof I32 | typeof F64 | typeof V128;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}

const utf8 = (s: string): number[] => { const b = [...new TextEncoder().encode(s)]; return [...uleb(b.length), ...b]; };
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];

/** One function: named params and locals, and its body as it is written. */
export class Fn {
  readonly code: number[] = [];
  private readonly index = new Map<string, number>();
  private readonly localTypes: ValType[] = [];
  private readonly labels: string[] = [];

  constructor(readonly name: string, readonly params: [string, ValType][], locals: [string, ValType][], readonly result: ValType | null = null) {
    params.forEach(([n], i) => this.index.set(n, i));
    locals.forEach(([n, t], i) => { this.index.set(n, params.length + i); this.localTypes.push(t); });
  }

  private at(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`wasm ${this.name}: unknown local ${name}`);
    return i;
  }

  emit(...bytes: number[]): this { this.code.push(...bytes); return this; }
  get(name: string): this { return this.emit(0x20, ...uleb(this.at(name))); }
  set(name: string): this { return this.emit(0x21, ...uleb(this.at(name))); }
  tee(name: string): this { return this.emit(0x22, ...uleb(this.at(name))); }
  i32(c: number): this { return this.emit(0x41, ...sleb(c | 0)); }
  f64(c: number): this { const b = new Uint8Array(new Float64Array([c]).buffer); return this.emit(0x44, ...b); }

  // memory (alignment hint, offset)
  loadI32(offset = 0): this { return this.emit(0x28, 2, ...uleb(offset)); }
  loadF64(offset = 0): this { return this.emit(0x2b, 3, ...uleb(offset)); }
  loadU8(offset = 0): this { return this.emit(0x2d, 0, ...uleb(offset)); }
  loadU16(offset = 0): this { return this.emit(0x2f, 1, ...uleb(offset)); }
  storeI32(offset = 0): this { return this.emit(0x36, 2, ...uleb(offset)); }
  storeF64(offset = 0): this { return this.emit(0x39, 3, ...uleb(offset)); }
  storeU8(offset = 0): this { return this.emit(0x3a, 0, ...uleb(offset)); }
  // SIMD: unaligned v128 access (alignment hint 8 bytes), two f64 lanes.
  loadV128(offset = 0): this { return this.emit(0xfd, 0x00, 3, ...uleb(offset)); }
  storeV128(offset = 0): this { return this.emit(0xfd, 0x0b, 3, ...uleb(offset)); }
  f64x2Splat(): this { return this.emit(0xfd, 0x14); }
  f64x2ReplaceLane(lane: 0 | 1): this { return this.emit(0xfd, 0x22, lane); }
  /** Lane-wise f64 addition: each lane is the same IEEE sum as f64.add. */
  f64x2Add(): this { return this.emit(0xfd, 0xf0, 0x01); }

  // i32 arithmetic and comparisons
  eqz(): this { return this.emit(0x45); }
  eq(): this { return this.emit(0x46); }
  ne(): this { return this.emit(0x47); }
  ltS(): this { return this.emit(0x48); }
  ltU(): this { return this.emit(0x49); }
  geS(): this { return this.emit(0x4e); }
  geU(): this { return this.emit(0x4f); }
  add(): this { return this.emit(0x6a); }
  sub(): this { return this.emit(0x6b); }
  mul(): this { return this.emit(0x6c); }
  and(): this { return this.emit(0x71); }
  xor(): this { return this.emit(0x73); }
  shl(): this { return this.emit(0x74); }
  shrU(): this { return this.emit(0x76); }
  // f64
  fadd(): this { return this.emit(0xa0); }
  fsub(): this { return this.emit(0xa1); }
  fmul(): this { return this.emit(0xa2); }
  fdiv(): this { return this.emit(0xa3); }
  fmin(): this { return this.emit(0xa4); }
  fmax(): this { return this.emit(0xa5); }
  floor(): this { return this.emit(0x9c); }
  flt(): this { return this.emit(0x63); }
  fge(): this { return this.emit(0x66); }
  fromU32(): this { return this.emit(0xb8); }
  /** i32.trunc_sat_f64_s: no trap on NaN or overflow. */
  truncSat(): this { return this.emit(0xfc, 0x02); }
  /** 2^k for the i32 k on the stack (k + 1023 in the exponent field; k in [-1022, 1023]). */
  pow2(): this { return this.i32(1023).add().emit(0xad /* i64.extend_i32_u */, 0x42, 52 /* i64.const 52 */, 0x86 /* i64.shl */, 0xbf /* f64.reinterpret_i64 */); }
  drop(): this { return this.emit(0x1a); }
  select(): this { return this.emit(0x1b); }

  /** `name += delta` (i32). */
  inc(name: string, delta = 1): this { return this.get(name).i32(delta).add().set(name); }
  /** Pushes base + 4 * index (an Int32 element's address). */
  addr4(base: string, index: string): this { return this.get(base).get(index).i32(2).shl().add(); }
  /** Pushes base + 8 * index (a Float64 element's address). */
  addr8(base: string, index: string): this { return this.get(base).get(index).i32(3).shl().add(); }

  block(label: string, body: () => void): this {
    this.emit(0x02, 0x40); this.labels.push(label); body(); this.labels.pop(); return this.emit(0x0b);
  }

  /** `if (cond) then else otherwise` with the condition already pushed. */
  if(then: () => void, otherwise?: () => void): this {
    this.emit(0x04, 0x40); this.labels.push('');
    then();
    if (otherwise) { this.emit(0x05); otherwise(); }
    this.labels.pop();
    return this.emit(0x0b);
  }

  /** `for (v = from; v < to; v++) body`, with `continue <label>` and `break <label>_exit`. */
  for(v: string, from: () => void, to: () => void, body: () => void, label = v): this {
    from(); this.set(v);
    this.emit(0x02, 0x40); this.labels.push(`${label}_exit`);
    this.emit(0x03, 0x40); this.labels.push(`${label}_top`);
    this.get(v); to(); this.geS(); this.brIf(`${label}_exit`);
    this.block(label, body);
    this.inc(v);
    this.br(`${label}_top`);
    this.emit(0x0b); this.labels.pop();
    this.emit(0x0b); this.labels.pop();
    return this;
  }

  /** `while (true) body`: `br(label)` goes round again, `br(label + '_exit')` leaves, as does falling off the end. */
  loop(label: string, body: () => void): this {
    this.emit(0x02, 0x40); this.labels.push(`${label}_exit`);
    this.emit(0x03, 0x40); this.labels.push(label);
    body();
    this.emit(0x0b); this.labels.pop();
    this.emit(0x0b); this.labels.pop();
    return this;
  }

  private depth(label: string): number {
    const i = this.labels.lastIndexOf(label);
    if (i < 0) throw new Error(`wasm ${this.name}: no enclosing label ${label}`);
    return this.labels.length - 1 - i;
  }

  br(label: string): this { return this.emit(0x0c, ...uleb(this.depth(label))); }
  brIf(label: string): this { return this.emit(0x0d, ...uleb(this.depth(label))); }
  /** `continue` of the for loop named `label`. */
  continue(label: string): this { return this.br(label); }
  ret(): this { return this.emit(0x0f); }

  encode(): { type: number[]; code: number[] } {
    const type = [0x60, ...vec(this.params.map(([, t]) => [t])), ...vec(this.result === null ? [] : [[this.result]])];
    const locals = vec(this.localTypes.map((t) => [1, t]));
    const body = [...locals, ...this.code, 0x0b];
    return { type, code: [...uleb(body.length), ...body] };
  }
}

/** A module importing one shared memory (env.mem) and exporting the functions by name. */
export function wasmModule(fns: Fn[], maxPages: number): Uint8Array {
  const enc = fns.map((f) => f.encode());
  const imports = [[...utf8('env'), ...utf8('mem'), 0x02, 0x03, ...uleb(1), ...uleb(maxPages)]];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec(enc.map((e) => e.type))),
    ...section(2, vec(imports)),
    ...section(3, vec(fns.map((_, i) => uleb(i)))),
    ...section(7, vec(fns.map((f, i) => [...utf8(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(enc.map((e) => e.code))),
  ]);
}
