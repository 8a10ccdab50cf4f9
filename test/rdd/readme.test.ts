// The README's RDD example (the word count) runs as written: its ts block under '## RDD API' is
// transpiled and run with the package's Session, and what it prints is the comment under it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { Session } from '../../src/index.js';

const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md');

it("runs the README's word count", async () => {
  const text = fs.readFileSync(README, 'utf8');
  const section = text.slice(text.indexOf('## RDD API'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("README.md has no ```ts block under '## RDD API'");
  const js = ts.transpileModule(block, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText
    .replace(/^import .*$/m, '');
  const printed: unknown[] = [];
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  await new AsyncFunction('Session', 'console', js)(Session, { log: (v: unknown) => printed.push(v) });
  // The word count of the two lines by hand: to ×2, be ×2, every other word once; sorted by word.
  expect(printed).toEqual([[['be', 2], ['is', 1], ['not', 1], ['or', 1], ['question', 1], ['that', 1], ['the', 1], ['to', 2]]]);
  const comment = /console\.log\(await counts\.sortByKey\(\)\.collect\(\)\);\n\/\/ (.*)\n/.exec(block)?.[1];
  expect(JSON.parse(comment!.replace(/'/g, '"'))).toEqual(printed[0]);
});
