// A driver run under tsx (`tsx main.ts`, `node --import tsx main.ts`) may hand its workers kernel
// modules written in TypeScript (session.addKernelModule('./my.kernels.ts')). Workers inherit
// tsx's --import flag (worker-pool.ts's workerExecArgv), but tsx only registers its loader in
// worker threads on Node versions whose module.register works there (22.22.3+, 24.11.1+, 25.1+);
// on Node 20 it registers in the main thread alone and a worker cannot import a .ts file. There
// a worker registers tsx itself, from the same tsx installation the driver uses.
import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

/** The first version of each Node line on which tsx registers its loader in worker threads by itself (tsx 4.21+). */
const TSX_REGISTERS_IN_WORKERS_FROM: ReadonlyMap<number, readonly [number, number]> = new Map([[22, [22, 3]], [24, [11, 1]], [25, [1, 0]]]);

export function tsxRegistersInWorkers(version: string = process.versions.node): boolean {
  const [major, minor, patch] = version.split('.').map(Number);
  if (major >= 26) return true;
  const from = TSX_REGISTERS_IN_WORKERS_FROM.get(major);
  return from !== undefined && (minor > from[0] || (minor === from[0] && patch >= from[1]));
}

/** Where tsx was loaded from, per the process's loader flags: its package.json, or undefined without tsx. */
export function tsxPackageJson(execArgv: readonly string[] = process.execArgv, cwd: string = process.cwd()): string | undefined {
  for (let i = 0; i < execArgv.length; i++) {
    const [flag, inline] = execArgv[i].split(/=(.*)/s, 2);
    if (!['--import', '--require', '-r', '--loader', '--experimental-loader'].includes(flag)) continue;
    const value = inline ?? execArgv[i + 1];
    if (value === undefined || !/(^|[/\\])tsx([/\\]|$)/.test(value)) continue;
    // A path or file URL inside the tsx package, or a bare specifier resolved from the working directory.
    const from = value.startsWith('file:') ? new URL(value) : path.isAbsolute(value) ? value : path.join(cwd, 'noop.js');
    try {
      return createRequire(from).resolve('tsx/package.json');
    } catch {
      continue;
    }
  }
  return undefined;
}

/** In a worker thread of a driver run under tsx, registers tsx's ESM loader where tsx did not. */
export async function registerTsxInWorker(): Promise<void> {
  if (isMainThread || tsxRegistersInWorkers()) return;
  const manifest = tsxPackageJson();
  if (manifest === undefined) return;
  const api = (createRequire(manifest)('./package.json') as { exports?: Record<string, { import?: { default?: string } | string }> })
    .exports?.['./esm/api']?.import;
  const entry = typeof api === 'string' ? api : api?.default;
  if (entry === undefined) return;
  const { register } = (await import(new URL(entry, pathToFileURL(manifest)).href)) as { register(): unknown };
  register();
}
