import { describe, expect, it } from 'vitest';
import {
  attributeGroupMetadata, attributeGroupOf, attributeMetadata, attributeOf, categoricalFeatures, denseVectorType,
  SparseVectorType, vectorSizeOf, type StructField,
} from '../../src/index.js';

const f = (metadata: Record<string, unknown> | undefined, type: StructField['type'] = SparseVectorType): StructField =>
  ({ name: 'c', type, nullable: true, ...(metadata ? { metadata } : {}) });

describe('ML attributes in Spark\'s metadata layout', () => {
  it('reads what Spark writes for a StringIndexer output and an assembled vector', () => {
    // Spark: NominalAttribute.defaultAttr.withName("labelIndex").withValues("a", "c", "b").toMetadata()
    const nominal = { ml_attr: { vals: ['a', 'c', 'b'], type: 'nominal', name: 'labelIndex' } };
    expect(attributeOf(f(nominal, { kind: 'double' }))).toEqual({ type: 'nominal', name: 'labelIndex', values: ['a', 'c', 'b'] });
    // Spark: AttributeGroup of a numeric, a nominal and a binary attribute.
    const group = { ml_attr: { attrs: {
      numeric: [{ idx: 0, name: 'x' }], nominal: [{ idx: 1, name: 'k', vals: ['u', 'v', 'w'] }], binary: [{ idx: 2, name: 'b' }],
    }, num_attrs: 4 } };
    const g = attributeGroupOf(f(group))!;
    expect(g.numAttributes).toBe(4);
    expect(g.attributes.map((a) => [a.type, a.index, a.name])).toEqual([['numeric', 0, 'x'], ['nominal', 1, 'k'], ['binary', 2, 'b']]);
    expect([...categoricalFeatures(f(group))]).toEqual([[1, 3], [2, 2]]);
    expect(vectorSizeOf(f(group))).toBe(4);
  });

  it('writes what it reads', () => {
    const attr = { type: 'nominal' as const, name: 'n', values: ['p', 'q'] };
    expect(attributeMetadata(attr)).toEqual({ ml_attr: { type: 'nominal', name: 'n', vals: ['p', 'q'] } });
    expect(attributeOf(f(attributeMetadata(attr), { kind: 'double' }))).toEqual(attr);
    const group = { name: 'g', numAttributes: 3, attributes: [{ type: 'binary' as const, name: 'b', index: 2 }] };
    expect(attributeGroupOf(f(attributeGroupMetadata(group)))).toEqual(group);
  });

  it('knows a dense column\'s size from its type and nothing from a column without metadata', () => {
    expect(vectorSizeOf(f(undefined, denseVectorType(7)))).toBe(7);
    expect(vectorSizeOf(f(undefined))).toBeUndefined();
    expect(attributeOf(f(undefined, { kind: 'double' }))).toBeUndefined();
    expect(attributeGroupOf(f({ other: 1 }))).toBeUndefined();
    expect(() => categoricalFeatures(f({ ml_attr: { attrs: { nominal: [{ idx: 0 }] }, num_attrs: 1 } })))
      .toThrow('Feature 0 is marked as Nominal (categorical), but it does not have the number of values specified.');
  });
});
