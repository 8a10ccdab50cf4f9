// The layer rule of docs/architecture.md, checked on the import specifiers of every file in src/:
// a folder imports only from folders in lower layers (never upward, never a sibling in its own
// layer), except the debts listed in KNOWN_DEBTS. Imports are read with the TypeScript compiler's
// pre-processor, so static imports, `export … from`, `import type` and `import()` all count.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/**
 * The layer table, lowest first. A folder may import any folder in a lower layer; folders in the
 * same layer are siblings and may not import each other. The files at the root of src/ (index.ts,
 * kernels.ts, worker.ts) sit above every layer.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['linalg', 'engine', 'fs'], // the ground floor: nothing of the project below them
  ['optim'], // driver-side optimizers over linalg
  ['dataframe'], // Session, DataFrame, plans, readers and writers (over engine, linalg, fs)
  ['stat', 'pipeline', 'rdd', 'streaming', 'connect'], // summary passes; params and stages; RDDs (over the DataFrame's engine plans); Structured Streaming (micro-batches of DataFrame plans); Spark Connect sessions
  ['persistence'], // Spark's model layout over fs (and the pipeline stages it saves)
  ['tree'], // the tree learner shared by classification and regression
  ['feature', 'evaluation', 'classification', 'regression', 'clustering', 'recommendation'], // the stage folders
  ['tuning'], // validators over estimators and evaluators
  ['cli'], // the `quiver` command line (its entry, src/cli.ts, loads the package root)
];

/**
 * Imports that break the rule today, each a debt of issue 13 with the home the shared code is meant
 * to get. An entry is one importing file and one imported file (paths relative to src/), so any new
 * import of the same kind fails; an entry that no longer matches an import fails too, so the list
 * only shrinks.
 */
const KNOWN_DEBTS: readonly { from: string; to: string }[] = [
  // Instance reading, predictor input checks and the linear loss loops the classifiers share with
  // the linear regression: planned home src/predictor/ (and linalg/rows.ts for the loops).
  { from: 'classification/logistic-model.ts', to: 'regression/linear-instances.ts' },
  { from: 'classification/logistic.kernels.ts', to: 'regression/linear-instances.ts' },
  { from: 'classification/logistic.kernels.ts', to: 'regression/linear.kernels.ts' },
  { from: 'classification/logistic.ts', to: 'regression/linear-instances.ts' },
  { from: 'classification/logistic.ts', to: 'regression/linear.ts' },
  { from: 'classification/logistic.ts', to: 'regression/linear.kernels.ts' },
  { from: 'classification/summary.kernels.ts', to: 'regression/linear-instances.ts' },
  // GBT classification fits regression trees (Spark does the same); the regression tree model wants
  // to move below both, into tree/.
  { from: 'classification/gbt.ts', to: 'regression/decision-tree.ts' },
  // The scatter matrix (Gram pass) lives beside PCA: planned home src/stat/.
  { from: 'regression/linear-normal.ts', to: 'feature/pca.kernels.ts' },
  { from: 'regression/linear.kernels.ts', to: 'feature/pca.kernels.ts' },
  { from: 'regression/linear.ts', to: 'feature/pca.kernels.ts' },
  // ML attributes of vector columns (Spark's org.apache.spark.ml.attribute): schema metadata, not a
  // feature stage; wants a home below the stage folders (dataframe/ or src/predictor/).
  { from: 'classification/logistic.ts', to: 'feature/attributes.ts' },
  { from: 'regression/linear-instances.ts', to: 'feature/attributes.ts' },
  { from: 'regression/linear.ts', to: 'feature/attributes.ts' },
  { from: 'tree/dataset.ts', to: 'feature/attributes.ts' },
  // Kernel-side column readers: planned home beside columnByName in dataframe/.
  { from: 'tree/dataset.kernels.ts', to: 'feature/columns.ts' },
  { from: 'tree/gbt.kernels.ts', to: 'feature/columns.ts' },
  { from: 'tree/predict.kernels.ts', to: 'feature/columns.ts' },
  // Schema checks with Spark's messages (SchemaUtils, ParamValidators): planned home src/predictor/
  // (or pipeline/), one set of require* helpers.
  { from: 'tree/dataset.kernels.ts', to: 'feature/shared.ts' },
  { from: 'tree/dataset.ts', to: 'feature/shared.ts' },
  { from: 'tree/gbt.kernels.ts', to: 'feature/shared.ts' },
  { from: 'tree/gbt.ts', to: 'feature/shared.ts' },
  { from: 'tree/models.ts', to: 'feature/shared.ts' },
  { from: 'clustering/kmeans-params.ts', to: 'feature/shared.ts' },
  { from: 'recommendation/als-params.ts', to: 'feature/shared.ts' },
  { from: 'recommendation/als.ts', to: 'feature/shared.ts' },
  // Per-row random streams and column readers of k-means, reused by ALS: planned homes
  // linalg/random.ts and the one kernel-side column reader in dataframe/.
  { from: 'recommendation/als.kernels.ts', to: 'clustering/columns.ts' },
  { from: 'recommendation/als.kernels.ts', to: 'clustering/row-random.ts' },
  { from: 'recommendation/als.ts', to: 'clustering/row-random.ts' },
];

interface ImportEdge { from: string; specifier: string; to: string }

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const toPosix = (path: string) => path.split(sep).join('/');

/** Every import of a project file from src/: importing file, the specifier as written, the target (relative to src/). */
function projectImports(): ImportEdge[] {
  return sourceFiles(SRC).flatMap((file) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    return importedFiles
      .filter(({ fileName }) => fileName.startsWith('.'))
      .map(({ fileName }) => ({
        from: toPosix(relative(SRC, file)),
        specifier: fileName,
        // NodeNext: a `.js` specifier names the `.ts` source beside it.
        to: toPosix(relative(SRC, resolve(dirname(file), fileName))).replace(/\.(m?)js$/, '.$1ts'),
      }));
  });
}

const folderOf = (path: string): string | null => (path.includes('/') ? path.slice(0, path.indexOf('/')) : null);

function layerOf(folder: string): number {
  const layer = LAYERS.findIndex((folders) => folders.includes(folder));
  if (layer < 0) throw new Error(`src/${folder}/ is in no layer: add it to LAYERS in test/architecture/layers.test.ts and to docs/architecture.md`);
  return layer;
}

/** Why an import breaks the layer rule, or null when it keeps it. */
function violation(edge: ImportEdge): string | null {
  if (edge.to.startsWith('..')) return 'imports from outside src/';
  const from = folderOf(edge.from);
  const to = folderOf(edge.to);
  if (from === null) return null; // the package root may import anything
  if (to === null) return `src/${from}/ imports the package root`;
  if (from === to) return null;
  const [a, b] = [layerOf(from), layerOf(to)];
  if (b > a) return `upward: ${from} (layer ${a}) imports ${to} (layer ${b})`;
  if (b === a) return `sibling: ${from} and ${to} share layer ${a}`;
  return null;
}

const isDebt = (edge: ImportEdge) => KNOWN_DEBTS.some((d) => d.from === edge.from && d.to === edge.to);

describe('layers (docs/architecture.md)', () => {
  const edges = projectImports();

  it('reads the imports of the whole tree', () => {
    // A guard against a check that passes because it read nothing.
    expect(edges.length).toBeGreaterThan(500);
    expect(edges.some((e) => e.from === 'dataframe/io/files.ts' && e.to === 'fs/index.ts')).toBe(true);
  });

  it('places every folder of src/ in a layer', () => {
    const folders = new Set(sourceFiles(SRC).map((f) => folderOf(toPosix(relative(SRC, f)))).filter((f) => f !== null));
    expect([...folders].filter((f) => !LAYERS.some((l) => l.includes(f!)))).toEqual([]);
  });

  it('has no import upward or between siblings beyond the listed debts', () => {
    const broken = edges
      .map((edge) => ({ edge, why: violation(edge) }))
      .filter(({ edge, why }) => why !== null && !isDebt(edge))
      .map(({ edge, why }) => `src/${edge.from} → '${edge.specifier}' (${why})`);
    expect(broken, 'move the shared code down a layer instead of importing across').toEqual([]);
  });

  it('lists only debts that still exist and still break the rule', () => {
    const stale = KNOWN_DEBTS
      .filter((d) => !edges.some((e) => e.from === d.from && e.to === d.to && violation(e) !== null))
      .map((d) => `${d.from} → ${d.to}`);
    expect(stale, 'paid debts: remove them from KNOWN_DEBTS').toEqual([]);
  });

  it('knows an upward and a sibling import when it sees one', () => {
    expect(violation({ from: 'linalg/blas.ts', specifier: '../engine/x.js', to: 'engine/x.ts' })).toMatch(/^sibling/);
    expect(violation({ from: 'fs/local.ts', specifier: '../dataframe/x.js', to: 'dataframe/x.ts' })).toMatch(/^upward/);
    expect(violation({ from: 'dataframe/io/files.ts', specifier: '../../fs/index.js', to: 'fs/index.ts' })).toBeNull();
    expect(violation({ from: 'index.ts', specifier: './tuning/index.js', to: 'tuning/index.ts' })).toBeNull();
  });
});
