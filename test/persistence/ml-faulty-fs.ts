/** A FileSystem that works for N mutating operations, then fails every one after: a crash mid-save. */
import type { FileSystem } from '../../src/persistence/index.js';

const MUTATING = new Set(['writeFile', 'mkdirs', 'delete', 'rename']);

export interface FaultyFileSystem extends FileSystem {
  /** Mutating operations performed (successful or not). */
  readonly operations: string[];
}

export function faultyFileSystem(inner: FileSystem, okOperations: number): FaultyFileSystem {
  const operations: string[] = [];
  return new Proxy(inner, {
    get(target, key, receiver) {
      if (key === 'operations') return operations;
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      if (!MUTATING.has(String(key))) return value.bind(target);
      return async (...args: unknown[]) => {
        operations.push(`${String(key)} ${String(args[0])}`);
        if (operations.length > okOperations) throw new Error(`injected failure at operation ${operations.length} (${String(key)})`);
        return value.apply(target, args);
      };
    },
  }) as FaultyFileSystem;
}
