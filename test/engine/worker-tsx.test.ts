// Workers of a driver run under tsx register tsx themselves where tsx does not (Node 20); the
// end-to-end check (a .ts kernel module loaded by workers of an installed package) is in
// test/package/install.test.ts.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { tsxPackageJson, tsxRegistersInWorkers } from '../../src/engine/worker-tsx.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsxManifest = path.join(repo, 'node_modules/tsx/package.json');

describe('tsx in worker threads', () => {
  it("knows the Node versions where tsx registers in workers itself (tsx 4.23's isFeatureSupported list)", () => {
    for (const v of ['20.20.2', '20.19.0', '22.12.0', '22.22.2', '24.11.0', '25.0.9', '23.11.0']) expect(tsxRegistersInWorkers(v), v).toBe(false);
    for (const v of ['22.22.3', '22.23.5', '24.11.1', '24.22.3', '25.1.0', '26.0.0', '27.3.1']) expect(tsxRegistersInWorkers(v), v).toBe(true);
  });

  it('finds the tsx package from the loader flags tsx and users pass to node', () => {
    const loader = pathToFileURL(path.join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
    const preflight = path.join(repo, 'node_modules/tsx/dist/preflight.cjs');
    expect(tsxPackageJson(['--require', preflight, '--import', loader], '/')).toBe(tsxManifest); // what `tsx main.ts` runs
    expect(tsxPackageJson([`--import=${loader}`], '/')).toBe(tsxManifest);
    expect(tsxPackageJson(['--import', 'tsx'], repo)).toBe(tsxManifest); // bare: resolved from the working directory
    expect(tsxPackageJson(['--max-old-space-size=100', '--import', './other.mjs', '--conditions', 'tsx'], repo)).toBeUndefined();
    expect(tsxPackageJson(['--import', 'tsx'], '/')).toBeUndefined(); // no tsx installed there
  });
});
