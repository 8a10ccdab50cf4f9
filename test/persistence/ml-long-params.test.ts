/**
 * Spark's 64-bit long params (PySpark's default seed is a 64-bit hash, e.g. -6494758227775224237,
 * as PySpark 4.1.4 wrote it in a DecisionTreeClassificationModel's metadata) load exactly and are
 * written back digit for digit. Expected texts are the literals themselves; the JSON parser is
 * checked against JSON.parse for everything that is not such a literal.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DecisionTreeClassifier, KMeans, load } from '../../src/index.js';
import { parseJSONExact, stringifyJSONExact } from '../../src/pipeline/json-exact.js';
import { seedNumber } from '../../src/pipeline/shared-params.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'quiver-long-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const SEED = '-6494758227775224237';

describe('exact JSON for 64-bit integers', () => {
  it('reads integers beyond 2^53 as bigints and writes them back unchanged', () => {
    const text = `{"a":${SEED},"b":9007199254740993,"c":9007199254740991,"d":1.5e300,"e":"x 12345678901234567890 \\" 99999999999999999999","f":[-9223372036854775808,12345678901234567.5]}`;
    const v = parseJSONExact(text) as Record<string, unknown>;
    expect(v.a).toBe(BigInt(SEED));
    expect(v.b).toBe(9007199254740993n);
    expect(v.c).toBe(9007199254740991); // safe: a number
    expect(v.d).toBe(1.5e300);
    expect(v.e).toBe('x 12345678901234567890 " 99999999999999999999');
    expect(v.f).toEqual([-9223372036854775808n, 12345678901234567.5]); // a decimal stays a double
    expect(stringifyJSONExact(v)).toBe(text.replace('1.5e300', '1.5e+300').replace('12345678901234567.5', String(12345678901234567.5)));
  });

  it('agrees with JSON.parse / JSON.stringify on JSON without long integers', () => {
    fc.assert(fc.property(fc.json(), (text) => {
      const plain = JSON.parse(text) as unknown;
      const exact = parseJSONExact(text);
      const unsafe = JSON.stringify(plain, (_k, v: unknown) => (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) ? 'unsafe' : v));
      if (unsafe.includes('"unsafe"')) return; // those are the point of the parser; covered above
      expect(exact).toEqual(plain);
      expect(stringifyJSONExact(exact)).toBe(JSON.stringify(plain));
    }), { seed: 14, numRuns: 300 });
  });
});

describe('long params', () => {
  it('a 64-bit seed in metadata loads exactly and is saved again digit for digit', async () => {
    const path = join(dir, 'spark-estimator');
    await mkdir(join(path, 'metadata'), { recursive: true });
    // The metadata PySpark 4.1.4 writes for DecisionTreeClassifier(maxDepth=2) (its defaults).
    const line = '{"class":"org.apache.spark.ml.classification.DecisionTreeClassifier","timestamp":1796654272290,"sparkVersion":"4.1.4","uid":"DecisionTreeClassifier_229bc4855e0f","paramMap":{"maxDepth":2},'
      + `"defaultParamMap":{"cacheNodeIds":false,"checkpointInterval":10,"featuresCol":"features","impurity":"gini","labelCol":"label","leafCol":"","maxBins":32,"maxDepth":5,"maxMemoryInMB":256,"minInfoGain":0.0,"minInstancesPerNode":1,"minWeightFractionPerNode":0.0,"predictionCol":"prediction","probabilityCol":"probability","rawPredictionCol":"rawPrediction","seed":${SEED}}}`;
    await writeFile(join(path, 'metadata', 'part-00000'), `${line}\n`);
    const est = await load<DecisionTreeClassifier>(path);
    expect(est.getSeed()).toBe(BigInt(SEED));
    expect(est.explainParam(est.seed)).toContain(`default: ${SEED}`);
    await est.save(join(dir, 'saved-again'));
    const text = await readFile(join(dir, 'saved-again', 'metadata', 'part-00000'), 'utf8');
    expect(text).toContain(`"seed":${SEED}`);
    const again = await DecisionTreeClassifier.load(join(dir, 'saved-again'));
    expect(again.getSeed()).toBe(BigInt(SEED));
  });

  it('accepts bigints within 64 bits, keeps safe ones as numbers, rejects the rest naming the param', () => {
    const km = new KMeans({ seed: 2n ** 62n });
    expect(km.getSeed()).toBe(2n ** 62n);
    expect(km.seed.jsonEncode(km.getSeed())).toBe('4611686018427387904');
    expect(km.seed.jsonDecode('4611686018427387904')).toBe(2n ** 62n);
    expect(km.seed.jsonDecode('42')).toBe(42);
    expect(() => new KMeans({ seed: 2n ** 63n })).toThrow(/seed.*a long/);
    expect(() => new KMeans({ seed: 1.5 })).toThrow(/seed.*a long/);
    expect(() => km.seed.jsonDecode('9223372036854775808')).toThrow(/seed/);
  });

  it('a 64-bit seed seeds Quiver\'s streams deterministically, every bit counting', () => {
    expect(seedNumber(7)).toBe(7);
    const a = seedNumber(BigInt(SEED));
    expect(Number.isSafeInteger(a)).toBe(true);
    expect(seedNumber(BigInt(SEED))).toBe(a);
    expect(seedNumber(BigInt(SEED) ^ (1n << 60n))).not.toBe(a); // a high bit changes the seed
    expect(seedNumber(BigInt(SEED) ^ 1n)).not.toBe(a);
  });
});
