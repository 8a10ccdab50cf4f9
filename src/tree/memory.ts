// Where a fit's shared arrays live: in a WebAssembly arena when possible (so the WebAssembly
// kernels can reach them), else in plain SharedArrayBuffers (the JavaScript kernels read both).
import { Arena, type WasmMemory } from './wasm/kernels.js';

export class TreeMemory {
  readonly arena: Arena | null;
  /** Whether every array allocated so far is in the arena. */
  inArena: boolean;

  constructor(bytesHint: number, wasm: boolean) {
    this.arena = wasm ? Arena.create(bytesHint) : null;
    this.inArena = this.arena !== null;
  }

  /** The arena's memory while every array is in it (the WebAssembly kernels need all of them there). */
  get memory(): WasmMemory | null { return this.inArena && this.arena ? this.arena.memory : null; }

  private make<T>(fromArena: (a: Arena) => T, fallback: () => T): T {
    if (this.arena && this.inArena) {
      try { return fromArena(this.arena); } catch { this.inArena = false; }
    }
    return fallback();
  }

  int32(n: number): Int32Array { return this.make((a) => a.int32(n), () => new Int32Array(new SharedArrayBuffer(Math.max(4, n * 4)))); }
  uint8(n: number): Uint8Array { return this.make((a) => a.uint8(n), () => new Uint8Array(new SharedArrayBuffer(Math.max(1, n)))); }
  uint16(n: number): Uint16Array { return this.make((a) => a.uint16(n), () => new Uint16Array(new SharedArrayBuffer(Math.max(2, n * 2)))); }
  float64(n: number): Float64Array { return this.make((a) => a.float64(n), () => new Float64Array(new SharedArrayBuffer(Math.max(8, n * 8)))); }
}
