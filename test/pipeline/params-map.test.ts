import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Param, ParamKinds, ParamPair } from '../../src/pipeline/param.js';
import { ParamMap } from '../../src/pipeline/params-map.js';
import { ParamValidators } from '../../src/pipeline/params-validators.js';

const stageA = 'Stage_aaaaaaaaaaaa';
const stageB = 'Stage_bbbbbbbbbbbb';
const param = (parent: string, name: string) =>
  new Param(parent, name, `${name} doc`, ParamKinds.double, ParamValidators.gtEq(0));

describe('ParamMap', () => {
  it('is keyed by param identity (parent uid + name), not by object', () => {
    const map = new ParamMap().put(param(stageA, 'tol'), 1);
    expect(map.get(param(stageA, 'tol'))).toBe(1);
    expect(map.contains(param(stageA, 'tol'))).toBe(true);
    expect(map.contains(param(stageB, 'tol'))).toBe(false);
    expect(map.contains(param(stageA, 'regParam'))).toBe(false);
    map.put(param(stageA, 'tol'), 2);
    expect(map.size).toBe(1);
    expect(map.get(param(stageA, 'tol'))).toBe(2);
  });

  it('does not confuse parents and names that concatenate alike', () => {
    const map = new ParamMap().put(param('a__b', 'c'), 1).put(param('a', 'b__c'), 2);
    expect(map.size).toBe(2);
    expect(map.get(param('a__b', 'c'))).toBe(1);
  });

  it('iterates in insertion order; replacing a value keeps its place', () => {
    const [x, y, z] = ['x', 'y', 'z'].map((n) => param(stageA, n)) as [Param<number>, Param<number>, Param<number>];
    const map = new ParamMap().put(z, 1).put(x, 2).put(y, 3).put(z, 4);
    expect(map.toSeq().map((p) => [p.param.name, p.value])).toEqual([['z', 4], ['x', 2], ['y', 3]]);
    expect([...map].map((p) => p.param.name)).toEqual(['z', 'x', 'y']);
  });

  it('put(...pairs), of, get, getOrElse, apply, remove', () => {
    const [a, b] = [param(stageA, 'a'), param(stageA, 'b')];
    const map = ParamMap.of(a.w(1));
    map.put(b.w(2), a.w(3));
    expect(map.get(a)).toBe(3);
    expect(map.getOrElse(b, 9)).toBe(2);
    expect(map.apply(b)).toBe(2);
    expect(map.remove(b)).toBe(2);
    expect(map.remove(b)).toBeUndefined();
    expect(map.get(b)).toBeUndefined();
    expect(map.getOrElse(b, 9)).toBe(9);
    expect(() => map.apply(b)).toThrow(`Cannot find param b of ${stageA}`);
    expect(map.size).toBe(1);
    expect(ParamMap.empty().size).toBe(0);
  });

  it('validates every value put', () => {
    const tol = param(stageA, 'tol');
    expect(() => new ParamMap().put(tol, -1)).toThrow(`${stageA} parameter tol given invalid value -1 (must be >= 0)`);
    expect(() => new ParamMap().put({ param: tol, value: 1 } as ParamPair<number>)).toThrow(/expects ParamPairs/);
  });

  it('filter keeps one stage', () => {
    const map = ParamMap.of(param(stageA, 'a').w(1), param(stageB, 'a').w(2), param(stageA, 'b').w(3));
    const onlyA = map.filter(stageA);
    expect(onlyA.toSeq().map((p) => [p.param.name, p.value])).toEqual([['a', 1], ['b', 3]]);
    expect(map.filter({ uid: stageB }).size).toBe(1);
    expect(map.size).toBe(3);
  });

  it('merge is ++: a new map where the right side wins; addAll is ++=', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((n) => param(stageA, n)) as [Param<number>, Param<number>, Param<number>];
    const left = ParamMap.of(a.w(1), b.w(2));
    const right = ParamMap.of(b.w(20), c.w(30));
    const merged = left.merge(right);
    expect(merged.toSeq().map((p) => p.value)).toEqual([1, 20, 30]);
    expect(left.size).toBe(2);
    expect(left.get(b)).toBe(2);
    left.addAll(right);
    expect(left.get(b)).toBe(20);
    expect(left.size).toBe(3);
  });

  it('copy is independent', () => {
    const a = param(stageA, 'a');
    const map = ParamMap.of(a.w(1));
    const copy = map.copy();
    copy.put(a, 2);
    map.remove(a);
    expect(copy.get(a)).toBe(2);
    expect(map.contains(a)).toBe(false);
  });

  it('merge agrees with a last-write-wins model (property)', () => {
    const names = ['a', 'b', 'c', 'd'];
    const op = fc.tuple(fc.constantFrom(...names), fc.constantFrom(stageA, stageB), fc.nat(100));
    fc.assert(
      fc.property(fc.array(op), fc.array(op), (ops1, ops2) => {
        const build = (ops: [string, string, number][]) => {
          const map = new ParamMap();
          for (const [n, s, v] of ops) map.put(param(s, n), v);
          return map;
        };
        const model = new Map<string, number>();
        for (const [n, s, v] of [...ops1, ...ops2]) model.set(`${s}/${n}`, v);
        const merged = build(ops1).merge(build(ops2));
        expect(merged.size).toBe(model.size);
        for (const [key, v] of model) {
          const [s, n] = key.split('/') as [string, string];
          expect(merged.get(param(s, n))).toBe(v);
        }
      }),
    );
  });

  it("prints as Spark does: parent-name: value, sorted by name", () => {
    const map = ParamMap.of(param(stageA, 'tol').w(1e-6), param(stageA, 'maxIter').w(10));
    expect(map.toString()).toBe(`{\n\t${stageA}-maxIter: 10.0,\n\t${stageA}-tol: 1.0E-6\n}`);
  });
});
