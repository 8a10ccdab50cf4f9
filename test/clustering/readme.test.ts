// The README's GaussianMixture example runs as written: its ts block (after "`GaussianMixture`
// fits") is transpiled and run with the package's exports, and what it prints is what its comments say.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { GaussianMixture, Session, Vectors, type DenseVector } from '../../src/index.js';

const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md');

it("runs the README's Gaussian mixture example", async () => {
  const text = fs.readFileSync(README, 'utf8');
  const section = text.slice(text.indexOf('`GaussianMixture` fits'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md has no ```ts block after "`GaussianMixture` fits"');
  const js = ts.transpileModule(block, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText
    .replace(/^import .*$/m, '');
  const printed: unknown[][] = [];
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  await new AsyncFunction('Session', 'Vectors', 'GaussianMixture', 'console', js)(
    Session, Vectors, GaussianMixture, { log: (...v: unknown[]) => printed.push(v) });
  const [[weights], [means], [, sizes], [prediction, probability]] = printed as [[number[]], [DenseVector[]], [number, number[]], [number, DenseVector]];
  // The comments: weights ≈ [0.5, 0.5], means ≈ (0, 0) and (10, 10), clusterSizes [50, 50].
  for (const w of weights) expect(Math.abs(w - 0.5)).toBeLessThan(1e-6);
  const near = means.map((m) => Math.round(m.values[0] / 10) * 10).sort((a, b) => a - b);
  expect(near).toEqual([0, 10]);
  expect(sizes).toEqual([50, 50]);
  // (9, 11) belongs to the Gaussian around (10, 10).
  expect(means[prediction].values[0]).toBeGreaterThan(5);
  expect(probability.values[prediction]).toBeGreaterThan(0.99);
});
