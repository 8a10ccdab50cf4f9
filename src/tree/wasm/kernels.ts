// The learner's innermost loops in WebAssembly (about twice the speed of the same loops in
// JavaScript: no bounds checks, no deoptimisation). They run on a fit's arena, one shared
// WebAssembly.Memory holding the binned data and the per-row state, and do exactly the same
// arithmetic in the same order as the JavaScript loops in learner.kernels.ts, so either path gives
// the same trees to the bit. All pointers are byte offsets in the arena; -1 stands for "none".
import { F64, Fn, I32, V128, wasmModule } from './asm.js';
import { gbtUpdateFn } from './gbt.js';

/** The parts of the WebAssembly API used here (the project's lib settings do not declare it). */
export interface WasmMemory { readonly buffer: SharedArrayBuffer; grow(pages: number): number }
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const MAX_PAGES = 65536;
const PAGE = 65536;

/**
 * Routes a range's active rows and collects (row, slot) of rows being built (routeAndCollect).
 * With init and listOnly it only lists the sampled rows as active, at the root, and returns their
 * number (the root pass then reads the active list itself).
 */
function routeFn(wide: boolean): Fn {
  const f = new Fn(`route${wide ? 16 : 8}`, [
    ['node', I32], ['bag', I32], ['act', I32], ['segCounts', I32], ['segment', I32], ['r0', I32], ['r1', I32], ['init', I32],
    ['bins', I32], ['d', I32], ['routeBase', I32], ['routeLen', I32], ['routeFeat', I32], ['routeLeft', I32], ['routeMask', I32],
    ['B', I32], ['routeClosed', I32], ['slotBase', I32], ['slotLen', I32], ['slotOf', I32], ['rowBuf', I32], ['slotBuf', I32], ['counts', I32],
    ['listOnly', I32],
  ], [['r', I32], ['c', I32], ['i', I32], ['end', I32], ['m', I32], ['keep', I32], ['id', I32], ['k', I32], ['ft', I32], ['side', I32],
    ['closed', I32], ['s', I32], ['slot', I32], ['p', I32]], I32);
  const bin = () => { // pushes the bin of (row r, feature ft)
    f.get('r').get('d').mul().get('ft').add();
    if (wide) f.i32(1).shl().get('bins').add().loadU16(); else f.get('bins').add().loadU8();
  };
  f.get('init').if(() => {
    f.i32(0).set('c');
    f.for('r', () => f.get('r0'), () => f.get('r1'), () => {
      f.get('bag').i32(0).geS().if(() => { f.get('bag').get('r').add().loadU8().eqz().brIf('r'); });
      f.get('act').get('r0').get('c').add().i32(2).shl().add().get('r').storeI32();
      f.addr4('node', 'r').i32(0).storeI32();
      f.inc('c');
    });
    f.get('segCounts').get('segment').i32(2).shl().add().get('c').storeI32();
    // A root built on its own: the active list is the list of its rows.
    f.get('listOnly').if(() => { f.get('c').ret(); });
  });
  f.get('r0').get('segCounts').get('segment').i32(2).shl().add().loadI32().add().set('end');
  f.i32(0).set('m');
  f.get('r0').set('keep');
  f.for('i', () => f.get('r0'), () => f.get('end'), () => {
    f.addr4('act', 'i').loadI32().set('r');
    f.addr4('node', 'r').loadI32().set('id');
    f.get('id').get('routeBase').sub().set('k');
    f.i32(0).set('closed');
    f.get('k').get('routeLen').ltU().if(() => {
      f.addr4('routeFeat', 'k').loadI32().set('ft');
      f.get('ft').i32(0).geS().if(() => {
        f.i32(1).get('routeMask').get('k').get('B').mul().add(); bin(); f.add().loadU8().sub().set('side');
        f.addr4('routeLeft', 'k').loadI32().get('side').add().set('id');
        f.addr4('node', 'r').get('id').storeI32();
        f.get('routeClosed').get('k').add().loadU8().get('side').shrU().i32(1).and().set('closed');
      });
    });
    // Branch-free: always write, advance when kept / collected.
    f.addr4('act', 'keep').get('r').storeI32();
    f.get('keep').get('closed').eqz().add().set('keep');
    f.get('id').get('slotBase').sub().set('s');
    // slot = s < slotLen ? slotOf[s] : -1 (slotOf[0] is read when out of range, harmlessly).
    f.get('slotOf').get('s').i32(0).get('s').get('slotLen').ltU().select().i32(2).shl().add().loadI32();
    f.i32(-1);
    f.get('s').get('slotLen').ltU();
    f.select().set('slot');
    f.addr4('rowBuf', 'm').get('r').storeI32();
    f.addr4('slotBuf', 'm').get('slot').storeI32();
    // counts[slot + 1]++ (counts[0] takes rows outside the slots; reset below). Only the
    // column-major kernels read them (counts = -1 otherwise): the increments form a chain through
    // memory whenever consecutive rows share a slot.
    f.get('counts').i32(0).geS().if(() => {
      f.get('counts').get('slot').i32(1).add().i32(2).shl().add().set('p');
      f.get('p').get('p').loadI32().i32(1).add().storeI32();
    });
    f.get('m').get('slot').i32(0).geS().add().set('m');
  });
  f.get('counts').i32(0).geS().if(() => { f.get('counts').i32(0).storeI32(); });
  f.get('segCounts').get('segment').i32(2).shl().add().get('keep').get('r0').sub().storeI32();
  f.get('m');
  return f;
}

/**
 * Row-major kernels add the first two stats of a bin as one two-lane SIMD addition (each lane the
 * same IEEE sum as f64.add, so the results are those of the scalar JavaScript): `emitPair` packs
 * the row's two values into the v128 local `v` once per row, `emitAddPair` adds it at bin `o`.
 */
function emitPair(f: Fn, first: string, second: string): void {
  f.get(first).f64x2Splat().get(second).f64x2ReplaceLane(1).set('v');
}
function emitAddPair(f: Fn): void {
  f.get('o').get('o').loadV128(0).get('v').f64x2Add().storeV128(0);
}

/**
 * A listed row's weights and stats (row-major kernels; local r): c = bag[r] or 1, w = c × weight
 * or c, and lb = class × 8 (classes), or a, b and the pair v: [w, wy] + wyy (variance),
 * [g, h] + w (newton with hessians), [g, w] (newton).
 */
function emitRowStats(f: Fn, kind: 0 | 1 | 2 | 3): void {
  f.get('bag').i32(0).ltS().if(() => { f.f64(1).set('c'); }, () => { f.get('bag').get('r').add().loadU8().fromU32().set('c'); });
  f.get('weights').i32(0).ltS().if(() => { f.get('c').set('w'); }, () => { f.get('c').addr8('weights', 'r').loadF64().fmul().set('w'); });
  if (kind === 0) {
    f.addr8('labels', 'r').loadF64().emit(0xaa /* i32.trunc_f64_s */).i32(3).shl().set('lb');
  } else if (kind === 1) {
    f.get('w').addr8('labels', 'r').loadF64().fmul().set('a');
    f.get('a').addr8('labels', 'r').loadF64().fmul().set('b');
    emitPair(f, 'w', 'a');
  } else {
    f.addr8('grad', 'r').loadF64().get('w').fmul().set('a');
    if (kind === 2) { f.addr8('hess', 'r').loadF64().get('w').fmul().set('b'); emitPair(f, 'a', 'b'); } else emitPair(f, 'a', 'w');
  }
}

/** Adds emitRowStats' pair, and the third stat where there is one, at bin `o`. */
function emitAddStats(f: Fn, kind: 1 | 2 | 3): void {
  emitAddPair(f);
  const third = kind === 1 ? 'b' : kind === 2 ? 'w' : null;
  if (third) f.get('o').get('o').loadF64(16).get(third).fadd().storeF64(16);
}

/**
 * Row-major accumulation (accumulateRows): for every listed row, the row's weight w = bag × weight,
 * then for each of its slot's features the bin's stats. `kind` 0 = classes, 1 = variance,
 * 2 = newton [G, H, W], 3 = newton [G, W]. `ci`: byte offset of the raw count in a bin, or -1.
 */
function accumulateFn(wide: boolean, kind: 0 | 1 | 2 | 3): Fn {
  const f = new Fn(`acc${kind}_${wide ? 16 : 8}`, [
    ['m', I32], ['rowBuf', I32], ['slotBuf', I32], ['bag', I32], ['weights', I32], ['labels', I32], ['grad', I32], ['hess', I32],
    ['bins', I32], ['d', I32], ['slotFeat', I32], ['featList', I32], ['fo', I32], ['hist', I32], ['S8', I32], ['ci', I32],
  ], [['i', I32], ['r', I32], ['slot', I32], ['j', I32], ['fe', I32], ['rd', I32], ['o', I32], ['lb', I32],
    ['c', F64], ['w', F64], ['a', F64], ['b', F64], ['v', V128]]);
  f.for('i', () => f.i32(0), () => f.get('m'), () => {
    f.addr4('rowBuf', 'i').loadI32().set('r');
    f.addr4('slotBuf', 'i').loadI32().set('slot');
    emitRowStats(f, kind);
    f.get('r').get('d').mul().set('rd');
    f.get('slotFeat').get('slot').i32(1).add().i32(2).shl().add().loadI32().set('fe');
    f.for('j', () => f.addr4('slotFeat', 'slot').loadI32(), () => f.get('fe'), () => {
      // o = hist + fo[j] + bin * S8
      f.get('hist').addr4('fo', 'j').loadI32().add();
      f.get('rd').addr4('featList', 'j').loadI32().add();
      if (wide) f.i32(1).shl().get('bins').add().loadU16(); else f.get('bins').add().loadU8();
      f.get('S8').mul().add().set('o');
      if (kind === 0) {
        f.get('o').get('lb').add().get('o').get('lb').add().loadF64().get('w').fadd().storeF64();
      } else {
        emitAddStats(f, kind);
      }
      f.get('ci').i32(0).geS().if(() => {
        f.get('o').get('ci').add().get('o').get('ci').add().loadF64().get('c').fadd().storeF64();
      });
    });
  });
  return f;
}

/**
 * accumulateFn when every slot lists all d features in order (hist mode): each feature's bins are
 * at foAll[f] from the slot's start (sb[slot], bytes), and the row's codes are read in sequence.
 */
function accumulateAllFn(wide: boolean, kind: 0 | 1 | 2 | 3, counted: boolean): Fn {
  const f = new Fn(`accAll${kind}${counted ? 'c' : ''}_${wide ? 16 : 8}`, [
    ['m', I32], ['rowBuf', I32], ['slotBuf', I32], ['bag', I32], ['weights', I32], ['labels', I32], ['grad', I32], ['hess', I32],
    ['bins', I32], ['d', I32], ['sb', I32], ['foAll', I32], ['S8', I32], ['ci', I32],
  ], [['i', I32], ['r', I32], ['base', I32], ['j', I32], ['pb', I32], ['pf', I32], ['o', I32], ['lb', I32],
    ['c', F64], ['w', F64], ['a', F64], ['b', F64], ['v', V128]]);
  // The k-th feature from pf / code from pb: its bin's stats (and raw count, in the counted variant).
  const feature = (k: number) => {
    f.get('base').get('pf').loadI32(4 * k).add();
    f.get('pb'); if (wide) f.loadU16(2 * k); else f.loadU8(k);
    f.get('S8').mul().add().set('o');
    if (kind === 0) f.get('o').get('o').loadF64().get('w').fadd().storeF64();
    else emitAddStats(f, kind);
    if (counted) {
      // For classes the count sits at ci from the bin start, not from the class.
      if (kind === 0) f.get('o').get('ci').add().get('lb').sub().get('o').get('ci').add().get('lb').sub().loadF64().get('c').fadd().storeF64();
      else f.get('o').get('ci').add().get('o').get('ci').add().loadF64().get('c').fadd().storeF64();
    }
  };
  f.for('i', () => f.i32(0), () => f.get('m'), () => {
    f.addr4('rowBuf', 'i').loadI32().set('r');
    // slotBuf = -1: every row is in slot 0.
    f.get('slotBuf').i32(0).ltS().if(() => { f.get('sb').loadI32().set('base'); }, () => {
      f.get('sb').get('slotBuf').get('i').i32(2).shl().add().loadI32().i32(2).shl().add().loadI32().set('base');
    });
    emitRowStats(f, kind);
    if (kind === 0) f.get('base').get('lb').add().set('base');
    // pb: the row's first code; pf: the first feature offset. Features two at a time, then the odd one.
    f.get('r').get('d').mul();
    if (wide) f.i32(1).shl();
    f.get('bins').add().set('pb');
    f.get('foAll').set('pf');
    f.for('j', () => f.i32(0), () => f.get('d').i32(1).shrU(), () => {
      feature(0);
      feature(1);
      f.inc('pb', wide ? 4 : 2);
      f.inc('pf', 8);
    });
    f.get('d').i32(1).and().if(() => feature(0));
  });
  return f;
}

/**
 * Column-major accumulation (accumulateColumns): rows grouped by slot (stable), each slot's row
 * stats gathered once, then each of its features' code column read for those rows.
 */
function accumulateColumnsFn(wide: boolean, kind: 0 | 1 | 2 | 3): Fn {
  const f = new Fn(`accCol${kind}_${wide ? 16 : 8}`, [
    ['m', I32], ['rowBuf', I32], ['slotBuf', I32], ['counts', I32], ['numSlots', I32], ['order', I32], ['pos', I32],
    ['gw', I32], ['ga', I32], ['gb', I32], ['gc', I32], ['glab', I32],
    ['bag', I32], ['weights', I32], ['labels', I32], ['grad', I32], ['hess', I32],
    ['binsT', I32], ['n', I32], ['slotFeat', I32], ['featList', I32], ['fo', I32], ['hist', I32], ['S8', I32], ['ci', I32],
  ], [['s', I32], ['i', I32], ['r', I32], ['p', I32], ['a', I32], ['b', I32], ['j', I32], ['col', I32], ['base', I32], ['o', I32],
    ['c', F64], ['w', F64], ['x', F64]]);
  // counts[s + 1] holds slot s's rows: make them starts, and pos the running positions.
  f.for('s', () => f.i32(0), () => f.get('numSlots'), () => {
    f.get('counts').get('s').i32(1).add().i32(2).shl().add().set('p');
    f.get('p').get('p').loadI32().addr4('counts', 's').loadI32().add().storeI32();
    f.addr4('pos', 's').addr4('counts', 's').loadI32().storeI32();
  });
  f.for('i', () => f.i32(0), () => f.get('m'), () => {
    f.addr4('slotBuf', 'i').loadI32().set('s');
    f.addr4('pos', 's').loadI32().set('p');
    f.addr4('order', 'p').addr4('rowBuf', 'i').loadI32().storeI32();
    f.addr4('pos', 's').get('p').i32(1).add().storeI32();
  });
  const feature = (load: () => void) => {
    // o = base + code(order[i]) * S8
    f.get('base');
    f.get('col').addr4('order', 'i').loadI32();
    if (wide) f.i32(1).shl().add().loadU16(); else f.add().loadU8();
    f.get('S8').mul().add().set('o');
    load();
  };
  const addAt = (offset: number, arr: string) => { f.get('o').get('o').loadF64(offset).addr8(arr, 'i').loadF64().fadd().storeF64(offset); };
  f.for('s', () => f.i32(0), () => f.get('numSlots'), () => {
    f.addr4('counts', 's').loadI32().set('a');
    f.get('counts').get('s').i32(1).add().i32(2).shl().add().loadI32().set('b');
    f.get('a').get('b').eq().brIf('s');
    f.for('i', () => f.get('a'), () => f.get('b'), () => {
      f.addr4('order', 'i').loadI32().set('r');
      f.get('bag').i32(0).ltS().if(() => { f.f64(1).set('c'); }, () => { f.get('bag').get('r').add().loadU8().fromU32().set('c'); });
      f.get('weights').i32(0).ltS().if(() => { f.get('c').set('w'); }, () => { f.get('c').addr8('weights', 'r').loadF64().fmul().set('w'); });
      f.addr8('gw', 'i').get('w').storeF64();
      f.addr8('gc', 'i').get('c').storeF64();
      if (kind === 0) {
        f.addr4('glab', 'i').addr8('labels', 'r').loadF64().emit(0xaa).i32(3).shl().storeI32();
      } else if (kind === 1) {
        f.addr8('labels', 'r').loadF64().set('x');
        f.addr8('ga', 'i').get('w').get('x').fmul().storeF64();
        f.addr8('gb', 'i').get('w').get('x').fmul().get('x').fmul().storeF64();
      } else {
        f.addr8('ga', 'i').addr8('grad', 'r').loadF64().get('w').fmul().storeF64();
        if (kind === 2) f.addr8('gb', 'i').addr8('hess', 'r').loadF64().get('w').fmul().storeF64();
      }
    });
    f.for('j', () => f.addr4('slotFeat', 's').loadI32(), () => f.get('slotFeat').get('s').i32(1).add().i32(2).shl().add().loadI32(), () => {
      f.addr4('featList', 'j').loadI32().get('n').mul();
      if (wide) f.i32(1).shl();
      f.get('binsT').add().set('col');
      f.get('hist').addr4('fo', 'j').loadI32().add().set('base');
      f.for('i', () => f.get('a'), () => f.get('b'), () => {
        feature(() => {
          if (kind === 0) {
            f.get('o').addr4('glab', 'i').loadI32().add().get('o').addr4('glab', 'i').loadI32().add().loadF64().addr8('gw', 'i').loadF64().fadd().storeF64();
          } else if (kind === 1) {
            addAt(0, 'gw'); addAt(8, 'ga'); addAt(16, 'gb');
          } else if (kind === 2) {
            addAt(0, 'ga'); addAt(8, 'gb'); addAt(16, 'gw');
          } else {
            addAt(0, 'ga'); addAt(8, 'gw');
          }
          f.get('ci').i32(0).geS().if(() => {
            f.get('o').get('ci').add().get('o').get('ci').add().loadF64().addr8('gc', 'i').loadF64().fadd().storeF64();
          });
        });
      });
    });
  });
  return f;
}

let moduleBytes: Uint8Array | null = null;
let compiled: object | null = null;

function compiledModule(): object {
  if (!compiled) {
    const fns: Fn[] = [];
    for (const wide of [false, true]) {
      fns.push(routeFn(wide));
      for (const kind of [0, 1, 2, 3] as const) fns.push(accumulateFn(wide, kind), accumulateAllFn(wide, kind, false), accumulateAllFn(wide, kind, true), accumulateColumnsFn(wide, kind));
      for (const loss of [0, 1, 2] as const) fns.push(gbtUpdateFn(wide, loss));
    }
    moduleBytes = wasmModule(fns, MAX_PAGES);
    compiled = new WA.Module(moduleBytes);
  }
  return compiled;
}

type Exports = Record<string, (...args: number[]) => number>;

interface Bound { exports: Exports; scratch: number; scratchBytes: number }
const bound = new WeakMap<WasmMemory, Bound>();

/** The kernels bound to an arena's memory in this thread, with a scratch region of this thread's own. */
export class WasmKernels {
  private readonly b: Bound;

  constructor(readonly memory: WasmMemory) {
    let b = bound.get(memory);
    if (!b) {
      const instance = new WA.Instance(compiledModule(), { env: { mem: memory } });
      b = { exports: instance.exports as unknown as Exports, scratch: 0, scratchBytes: 0 };
      bound.set(memory, b);
    }
    this.b = b;
  }

  get exports(): Exports { return this.b.exports; }

  /** A scratch region of at least `bytes` owned by this thread (grown by memory.grow, which is atomic). */
  scratch(bytes: number): number {
    if (this.b.scratchBytes < bytes) {
      const pages = Math.ceil(bytes / PAGE);
      this.b.scratch = this.memory.grow(pages) * PAGE;
      this.b.scratchBytes = pages * PAGE;
    }
    return this.b.scratch;
  }
}

/**
 * A fit's arena: one shared memory, allocated by bumping, whose typed-array views go wherever the
 * shared arrays would (broadcasts). Falls back (null) when the data would not fit in 4 GiB.
 */
export class Arena {
  private top = 0;
  private constructor(readonly memory: WasmMemory) {}

  static create(bytes: number): Arena | null {
    // Leave room for executors' scratch regions.
    if (bytes > 3 * 1024 ** 3) return null;
    try {
      return new Arena(new WA.Memory({ initial: Math.ceil(bytes / PAGE) + 1, maximum: MAX_PAGES, shared: true }));
    } catch {
      return null;
    }
  }

  private alloc(bytes: number): number {
    const p = this.top;
    this.top += Math.ceil(Math.max(bytes, 8) / 64) * 64;
    const have = this.memory.buffer.byteLength;
    if (this.top > have) this.memory.grow(Math.ceil((this.top - have) / PAGE));
    return p;
  }

  get bytes(): number { return this.top; }

  int32(n: number): Int32Array { const p = this.alloc(n * 4); return new Int32Array(this.memory.buffer, p, n); }
  float64(n: number): Float64Array { const p = this.alloc(n * 8); return new Float64Array(this.memory.buffer, p, n); }
  uint8(n: number): Uint8Array { const p = this.alloc(n); return new Uint8Array(this.memory.buffer, p, n); }
  uint16(n: number): Uint16Array { const p = this.alloc(n * 2); return new Uint16Array(this.memory.buffer, p, n); }
}
