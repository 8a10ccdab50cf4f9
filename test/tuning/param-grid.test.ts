import { describe, expect, it } from 'vitest';
import { LinearRegression, ParamGridBuilder } from '../../src/index.js';
import { ParamMap } from '../../src/pipeline/params-map.js';

describe('ParamGridBuilder', () => {
  it('an empty builder gives one empty map', () => {
    const maps = new ParamGridBuilder().build();
    expect(maps).toHaveLength(1);
    expect(maps[0].size).toBe(0);
  });

  it('builds the cartesian product, the first param added varying fastest (Spark order)', () => {
    const lr = new LinearRegression();
    const maps = new ParamGridBuilder()
      .addGrid(lr.regParam, [0.1, 1])
      .addGrid(lr.elasticNetParam, [0, 0.5, 1])
      .addGrid(lr.fitIntercept)
      .build();
    expect(maps).toHaveLength(12);
    const rows = maps.map((m) => [m.get(lr.regParam), m.get(lr.elasticNetParam), m.get(lr.fitIntercept)]);
    expect(rows.slice(0, 6)).toEqual([
      [0.1, 0, true], [1, 0, true], [0.1, 0.5, true], [1, 0.5, true], [0.1, 1, true], [1, 1, true],
    ]);
    expect(rows.slice(6).every((r) => r[2] === false)).toBe(true);
    // every combination exactly once
    expect(new Set(rows.map((r) => JSON.stringify(r))).size).toBe(12);
    // maps are independent objects
    maps[0].put(lr.regParam, 5);
    expect(maps[1].get(lr.regParam)).toBe(1);
  });

  it('adding a param again replaces its values in place', () => {
    const lr = new LinearRegression();
    const maps = new ParamGridBuilder().addGrid(lr.regParam, [1, 2]).addGrid(lr.maxIter, [5]).addGrid(lr.regParam, [3]).build();
    expect(maps.map((m) => m.get(lr.regParam))).toEqual([3]);
  });

  it('baseOn fixes values in every map (pairs or a ParamMap)', () => {
    const lr = new LinearRegression();
    const maps = new ParamGridBuilder()
      .baseOn(ParamMap.of(lr.maxIter.w(7)))
      .baseOn(lr.tol.w(1e-3))
      .addGrid(lr.regParam, [0, 1, 2])
      .build();
    expect(maps).toHaveLength(3);
    for (const m of maps) {
      expect(m.get(lr.maxIter)).toBe(7);
      expect(m.get(lr.tol)).toBe(1e-3);
    }
    expect(maps.map((m) => m.get(lr.regParam))).toEqual([0, 1, 2]);
  });

  it('a param with no values gives no maps', () => {
    const lr = new LinearRegression();
    expect(new ParamGridBuilder().addGrid(lr.regParam, []).build()).toEqual([]);
  });

  it('invalid values fail at once, naming the param and the value', () => {
    const lr = new LinearRegression();
    expect(() => new ParamGridBuilder().addGrid(lr.regParam, [0.1, -1])).toThrow(/regParam.*-1/);
    expect(() => new ParamGridBuilder().addGrid(lr.maxIter, [1.5])).toThrow(/maxIter.*1\.5/);
    expect(() => new ParamGridBuilder().addGrid(lr.regParam)).toThrow(/regParam/);
  });
});
