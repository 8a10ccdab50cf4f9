/** Metadata JSON (Spark's DefaultParamsWriter/Reader): every param kind round trips, NaN/±Infinity included. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ParamKinds } from '../../src/pipeline/param.js';
import { constructWithUid, Params, ParamSpec } from '../../src/pipeline/params.js';
import {
  fileSystemFor, metadataJSON, parseMetadata, readMetadata, setParamsFromMetadata, SPARK_VERSION, writeMetadata,
} from '../../src/persistence/index.js';

/** One param of every kind the Params system has. */
class AllKinds extends Params {
  readonly d = this.declareParam('d', ParamSpec.double('a double', { default: 0.5 }));
  readonly i = this.declareParam('i', ParamSpec.int('an int', { default: 3 }));
  readonly l = this.declareParam('l', ParamSpec.long('a long'));
  readonly b = this.declareParam('b', ParamSpec.boolean('a boolean', { default: true }));
  readonly s = this.declareParam('s', ParamSpec.string('a string'));
  readonly sa = this.declareParam('sa', ParamSpec.stringArray('strings'));
  readonly da = this.declareParam('da', ParamSpec.doubleArray('doubles', { default: [Infinity] }));
  readonly ia = this.declareParam('ia', ParamSpec.intArray('ints'));
  readonly daa = this.declareParam('daa', ParamSpec.doubleArrayArray('matrix-like'));
  readonly nd = this.declareParam('nd', new ParamSpec(ParamKinds.nullable(ParamKinds.double), 'a nullable double'));
}

// JSON has no -0; Spark's json4s writes it as -0.0, ours as 0 (a known, harmless difference).
const double = fc.double().map((x) => (Object.is(x, -0) ? 0 : x));
const specialDouble = fc.oneof(double, fc.constantFrom(NaN, Infinity, -Infinity));
const values = fc.record(
  {
    d: specialDouble,
    i: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    l: fc.maxSafeInteger().filter((x) => !Object.is(x, -0)),
    b: fc.boolean(),
    s: fc.string({ unit: 'grapheme' }),
    sa: fc.array(fc.string()),
    da: fc.array(specialDouble),
    ia: fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
    daa: fc.array(fc.array(specialDouble)),
    nd: fc.option(specialDouble, { nil: null }),
  },
  { requiredKeys: [] },
);

function roundTrip(stage: AllKinds, extra?: Record<string, never>): AllKinds {
  const metadata = parseMetadata('/m', metadataJSON(stage, 'quiver.test.AllKinds', { extra }));
  return setParamsFromMetadata('/m', constructWithUid(metadata.uid, () => new AllKinds()), metadata);
}

describe('metadata JSON', () => {
  it('round trips every param kind, set and default, NaN and ±Infinity included', () => {
    fc.assert(
      fc.property(values, values, (set, defaults) => {
        const stage = new AllKinds();
        for (const [name, value] of Object.entries(set)) stage.set(stage.getParam(name), value);
        // Defaults as a loaded Spark model may carry them (different from the class's).
        stage.setParamsFromJSON({}, Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, stage.getParam(k).kind.toJSON(v)])));
        const back = roundTrip(stage);
        expect(back.uid).toBe(stage.uid);
        expect(back.paramMapJSON()).toEqual(stage.paramMapJSON());
        expect(back.defaultParamMapJSON()).toEqual(stage.defaultParamMapJSON());
        for (const p of stage.params) {
          expect(back.isSet(back.getParam(p.name))).toBe(stage.isSet(p));
          if (stage.isDefined(p)) expect(back.getOrDefault(back.getParam(p.name))).toEqual(stage.getOrDefault(p));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('spells NaN and ±Infinity as Spark does', () => {
    const stage = new AllKinds();
    stage.set(stage.d, NaN).set(stage.da, [Infinity, -Infinity, 1]).set(stage.nd, null);
    const json = JSON.parse(metadataJSON(stage, 'X'));
    expect(json.paramMap).toEqual({ d: 'NaN', da: ['Inf', '-Inf', 1], nd: null });
    expect(json.defaultParamMap).toEqual({ d: 0.5, i: 3, b: true, da: ['Inf'] });
  });

  it("writes Spark's keys in Spark's order, extra keys last", () => {
    const stage = new AllKinds();
    const json = metadataJSON(stage, 'org.apache.spark.ml.feature.StandardScalerModel', { extra: { numFeatures: 4 }, timestamp: 42 });
    expect(Object.keys(JSON.parse(json))).toEqual(['class', 'timestamp', 'sparkVersion', 'uid', 'paramMap', 'defaultParamMap', 'numFeatures']);
    const metadata = parseMetadata('/m', json);
    expect(metadata).toMatchObject({
      className: 'org.apache.spark.ml.feature.StandardScalerModel',
      timestamp: 42,
      sparkVersion: SPARK_VERSION,
      uid: stage.uid,
      params: {},
    });
    expect(metadata.json.numFeatures).toBe(4);
    expect(() => metadataJSON(stage, 'X', { extra: { uid: 'other' } })).toThrow(/extra metadata key 'uid' clashes/);
  });

  it('reads metadata Spark wrote before 2.4 (no defaultParamMap): class defaults stay', () => {
    const line = '{"class":"quiver.test.AllKinds","timestamp":1,"sparkVersion":"2.3.0","uid":"AllKinds_abc","paramMap":{"i":7}}';
    const metadata = parseMetadata('/m', line);
    expect(metadata.defaultParams).toBeUndefined();
    const stage = setParamsFromMetadata('/m', constructWithUid(metadata.uid, () => new AllKinds()), metadata);
    expect([stage.uid, stage.getOrDefault(stage.i), stage.getOrDefault(stage.d)]).toEqual(['AllKinds_abc', 7, 0.5]);
  });

  it('names the path and the problem for bad metadata', () => {
    const bad: [string, RegExp][] = [
      ['', /^\/m: corrupt metadata \(metadata\/part-00000\): the file is empty$/],
      ['{"class": "X", "uid"', /^\/m: corrupt metadata .*not valid JSON/],
      ['[1, 2]', /not a JSON object/],
      ['{"uid":"u","paramMap":{}}', /"class" must be a class name, got nothing/],
      ['{"class":"X","paramMap":{}}', /"uid" must be a uid/],
      ['{"class":"X","uid":"u","paramMap":[]}', /"paramMap" must be a JSON object/],
      ['{"class":"X","uid":"u","paramMap":{},"defaultParamMap":3}', /"defaultParamMap" must be a JSON object/],
    ];
    for (const [text, message] of bad) expect(() => parseMetadata('/m', text)).toThrow(message);
    expect(() => parseMetadata('/m', '{"class":"Y","uid":"u","paramMap":{}}', 'X')).toThrow(/^\/m: expected class X but found Y$/);
  });

  it('names the param that does not decode or does not exist', () => {
    const m1 = parseMetadata('/m', '{"class":"X","uid":"AllKinds_1","paramMap":{"i":"seven"}}');
    expect(() => setParamsFromMetadata('/m', new AllKinds(), m1)).toThrow(/^\/m: cannot restore the params of AllKinds_1 \(X\): .*parameter i.*expected an int/);
    const m2 = parseMetadata('/m', '{"class":"X","uid":"AllKinds_1","paramMap":{"nope":1}}');
    expect(() => setParamsFromMetadata('/m', new AllKinds(), m2)).toThrow(/no param named 'nope'/);
  });
});

describe('metadata files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quiver-ml-metadata-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes metadata/part-00000 (one JSON line) and an empty _SUCCESS, and reads them back', async () => {
    const fs = fileSystemFor(dir);
    const stage = new AllKinds();
    stage.set(stage.d, -Infinity).set(stage.s, 'é\n"x"');
    await writeMetadata(fs, join(dir, 'm'), metadataJSON(stage, 'quiver.test.AllKinds'));
    const text = await readFile(join(dir, 'm', 'metadata', 'part-00000'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(await readFile(join(dir, 'm', 'metadata', '_SUCCESS'), 'utf8')).toBe('');
    const metadata = await readMetadata(fs, join(dir, 'm'), 'quiver.test.AllKinds');
    expect(metadata.params).toEqual({ d: '-Inf', s: 'é\n"x"' });
    await expect(readMetadata(fs, join(dir, 'm'), 'Other')).rejects.toThrow(`${join(dir, 'm')}: expected class Other but found quiver.test.AllKinds`);
    await expect(readMetadata(fs, join(dir, 'absent'))).rejects.toThrow(`${join(dir, 'absent')}: nothing is saved here: the path does not exist`);
  });
});
