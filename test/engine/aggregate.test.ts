import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addInto, keyedMerge, treeMerge } from '../../src/engine/aggregate.js';

describe('treeMerge', () => {
  it('equals a sequential fold for any partition count and depth (for an associative, commutative merge)', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.integer(), { maxLength: 3 }), { maxLength: 60 }), fc.integer({ min: 1, max: 5 }), (parts, depth) => {
      // Multiset union: every partial must be merged exactly once, whatever the tree shape.
      const merged = treeMerge(parts, () => [] as number[], (a, b) => [...a, ...b], depth);
      expect([...merged].sort((x, y) => x - y)).toEqual(parts.flat().sort((x, y) => x - y));
    }));
  });

  it('is deterministic: the same partials give the same bits for every depth', () => {
    const parts = Array.from({ length: 37 }, (_, i) => Math.sin(i) * 1e10 + 1e-7);
    for (const depth of [1, 2, 3, 5]) {
      const a = treeMerge(parts, () => 0, (x, y) => x + y, depth);
      const b = treeMerge([...parts], () => 0, (x, y) => x + y, depth);
      expect(Object.is(a, b)).toBe(true);
    }
  });

  it('sums numbers exactly like the tree Spark builds (reference: Spark RDD.treeAggregate levels)', () => {
    // 10 partitions, depth 2: scale = ceil(sqrt(10)) = 4; 10 > 4 + ceil(10/4) = 7 → 10/4 = 2 groups
    // group 0 = p0,p2,p4,p6,p8 and group 1 = p1,p3,p5,p7,p9, then the final fold.
    const seen: string[] = [];
    const parts = Array.from({ length: 10 }, (_, i) => `p${i}`);
    treeMerge(parts, () => '', (a, b) => { seen.push(`${a}|${b}`); return a + b; }, 2);
    expect(seen.filter((s) => s.startsWith('|'))).toContain('|p0');
    expect(seen).toContain('p0p2|p4');
    expect(seen).toContain('p1p3p5p7|p9');
    expect(seen[seen.length - 1]).toBe('p0p2p4p6p8|p1p3p5p7p9');
  });

  it('rejects a bad depth', () => {
    expect(() => treeMerge([1], () => 0, (a, b) => a + b, 0)).toThrow(/depth/);
  });
});

describe('keyedMerge', () => {
  it('merges values by key in partition order and sorts numeric keys', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.string({ maxLength: 2 })), { maxLength: 8 }), { maxLength: 6 }), (partials) => {
      const merged = keyedMerge(partials, (a, b) => a + b);
      const expected = new Map<number, string>();
      for (const part of partials) for (const [k, v] of part) expected.set(k, (expected.get(k) ?? '') + v);
      const keys = [...merged.keys()];
      expect(keys).toEqual([...keys].sort((a, b) => a - b));
      expect(new Map([...merged])).toEqual(expected);
    }));
  });

  it('addInto adds elementwise and checks lengths', () => {
    expect(Array.from(addInto(Float64Array.of(1, 2), Float64Array.of(3, 4)))).toEqual([4, 6]);
    expect(() => addInto(new Float64Array(1), new Float64Array(2))).toThrow(/lengths 1 and 2/);
  });
});
