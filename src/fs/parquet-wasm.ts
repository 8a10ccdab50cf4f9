// parquet-wasm, initialised once per thread on first use. The package's `node` entry is a CommonJS
// file inside a "type": "module" package, which plain Node (the compiled dist/ and vitest) refuses
// to load; the `esm` entry with the .wasm bytes handed to initSync works everywhere.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as wasm from 'parquet-wasm/esm';

let ready = false;

export function parquetWasm(): typeof wasm {
  if (!ready) {
    const file = createRequire(import.meta.url).resolve('parquet-wasm/esm/parquet_wasm_bg.wasm');
    wasm.initSync({ module: readFileSync(file) });
    ready = true;
  }
  return wasm;
}

export type { ParquetFile, Table as WasmTable } from 'parquet-wasm/esm';
