// A temporary directory for a test file: created before its tests, removed after them, with fresh
// paths, directories and files inside it for each test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export interface TempDir {
  /** The directory itself. */
  root(): string;
  /** A path inside it that no earlier call gave, `<n>-<name>` so that an extension stays last (nothing is created there). */
  fresh(name: string): string;
  /** A new empty directory inside it. */
  freshDir(): string;
  /** A file `name` holding `contents`, alone in a new directory (so a test can read the directory). */
  file(name: string, contents: string | Uint8Array): string;
}

export function useTempDir(prefix: string): TempDir {
  let root = '';
  let counter = 0;
  beforeAll(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), prefix)); });
  afterAll(() => { if (root) fs.rmSync(root, { recursive: true, force: true }); });
  const fresh = (name: string): string => path.join(root, `${++counter}-${name}`);
  const freshDir = (): string => {
    const d = fresh('d');
    fs.mkdirSync(d);
    return d;
  };
  return {
    root: () => root,
    fresh,
    freshDir,
    file: (name, contents) => {
      const p = path.join(freshDir(), name);
      fs.writeFileSync(p, contents);
      return p;
    },
  };
}
