// Broadcast variables: a value shipped once to each executor and referenced from task params by
// id, for values too large to ride in every task (centers, tree splits, factor blocks).
import type { BroadcastRef } from './protocol.js';

export class Broadcast<T> {
  private destroyed = false;
  constructor(readonly id: string, private readonly stored: T, private readonly onDestroy: (id: string) => void) {}

  /** The value on the driver. */
  get value(): T {
    if (this.destroyed) throw new Error(`Broadcast ${this.id} was destroyed`);
    return this.stored;
  }

  /** What to put in task params; a kernel reads it with `ctx.broadcast(ref.$broadcast)` or `resolveBroadcast`. */
  get ref(): BroadcastRef { return { $broadcast: this.id }; }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.onDestroy(this.id);
  }
}

/**
 * Copies typed arrays in a value into SharedArrayBuffers, so every executor thread reads the
 * same memory and no result can detach a broadcast by transferring its buffer.
 */
export function toShared<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof SharedArrayBuffer || value instanceof DataView) return value;
    const view = value as unknown as Float64Array;
    const sab = new SharedArrayBuffer(view.byteLength);
    const copy = new (view.constructor as Float64ArrayConstructor)(sab);
    copy.set(view);
    return copy as unknown as T;
  }
  if (Array.isArray(value)) return value.map(toShared) as unknown as T;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, toShared(v)])) as unknown as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toShared(v);
  return out as T;
}
