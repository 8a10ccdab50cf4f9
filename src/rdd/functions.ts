// RDD functions travel to the workers as source text, as UDFs do (dataframe/udf.ts), and the same
// closure check refuses a function that reads variables from outside itself. A value the function
// needs goes in a broadcast variable: the function receives `bc.value` as its last argument.
import type { Broadcast } from '../engine/broadcast.js';
import type { BroadcastRef } from '../engine/protocol.js';
import type { TaskContext } from '../engine/kernels.js';
import { outsideVariables } from '../dataframe/udf-closure.js';
import { udfFromSource } from '../dataframe/udf.js';

/** A function as it travels in a plan: its source, and the broadcast it receives, if any. */
export interface ShippedFn { source: string; bc?: BroadcastRef }

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFn = (...args: any[]) => any;

/** Checks `fn` and turns it into its shipped form; `what` names the method in errors (e.g. 'map'). */
export function ship(fn: AnyFn, what: string, bc?: Broadcast<unknown>): ShippedFn {
  if (typeof fn !== 'function') throw new Error(`RDD.${what}: expected a function but got ${fn === null ? 'null' : typeof fn}`);
  const source = fn.toString();
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new Error(`RDD.${what}: '${fn.name}' is a built-in or bound function, whose source cannot be shipped to the workers; wrap it: (x) => ${fn.name || 'f'}(x)`);
  }
  const free = outsideVariables(source, `RDD.${what}`);
  if (free.length) {
    const list = free.map((v) => `'${v}'`).join(', ');
    throw new Error(`RDD.${what}: the function refers to ${list} from outside itself. RDD functions run in worker threads from their source ` +
      'text alone, so they must be self-contained: write constants inside the function, or put the value in a broadcast variable ' +
      `(const bc = sc.broadcast(value); rdd.${what}((x, v) => ..., bc)), which the function receives as its last argument`);
  }
  if (bc !== undefined && (typeof bc !== 'object' || bc === null || typeof (bc as Broadcast<unknown>).ref !== 'object')) {
    throw new Error(`RDD.${what}: the argument after the function must be a broadcast variable (sc.broadcast(value))`);
  }
  return bc ? { source, bc: bc.ref } : { source };
}

/** The function in a worker, with its broadcast's value bound as the last argument. */
export function unship(f: ShippedFn, ctx: TaskContext): AnyFn {
  const fn = udfFromSource(f.source) as AnyFn;
  if (!f.bc) return fn;
  const value = ctx.broadcast(f.bc.$broadcast);
  return (...args: unknown[]) => fn(...args, value);
}
