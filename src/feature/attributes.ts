// ML attributes (Spark's org.apache.spark.ml.attribute): what a column's values mean — numeric,
// nominal (categorical, with its levels) or binary — kept in the field's metadata under `ml_attr`
// in Spark's JSON layout, so later stages know a vector's size and which features are categorical.
//
//   one attribute (StringIndexer output):   { ml_attr: { type: 'nominal', name: 'idx', vals: ['a', 'c', 'b'] } }
//   a group (assembled or encoded vectors): { ml_attr: { num_attrs: 5, attrs: { nominal: [{ idx: 0, name: 'c', vals: [...] }] } } }
//
// Unlike Spark, a group lists only the attributes that say something beyond "numeric": columns
// without attributes add none, so a 2^18-wide hashed vector costs one number, not 2^18 entries.
import type { StructField } from '../dataframe/types.js';

export type AttributeType = 'numeric' | 'nominal' | 'binary';

export interface Attribute {
  readonly type: AttributeType;
  readonly name?: string;
  /** Position in a vector (group attributes only). */
  readonly index?: number;
  /** Nominal and binary levels, in index order. */
  readonly values?: readonly string[];
  /** Nominal: the number of levels when their names are unknown. */
  readonly numValues?: number;
  readonly isOrdinal?: boolean;
  readonly min?: number;
  readonly max?: number;
}

export interface AttributeGroup {
  readonly name?: string;
  /** Vector size; undefined when unknown. */
  readonly numAttributes?: number;
  /** Attributes that are not plain numeric, each with its `index`, in index order. */
  readonly attributes: readonly Attribute[];
}

// Spark's AttributeKeys.
const ML_ATTR = 'ml_attr';
type Json = Record<string, unknown>;

function attributeJson(a: Attribute, withType: boolean, withIndex: boolean): Json {
  const o: Json = {};
  if (withType && a.type !== 'numeric') o.type = a.type;
  if (a.name !== undefined) o.name = a.name;
  if (withIndex && a.index !== undefined) o.idx = a.index;
  if (a.isOrdinal !== undefined) o.ord = a.isOrdinal;
  if (a.values !== undefined) o.vals = [...a.values];
  if (a.numValues !== undefined && a.values === undefined) o.num_vals = a.numValues;
  if (a.min !== undefined) o.min = a.min;
  if (a.max !== undefined) o.max = a.max;
  return o;
}

function attributeFromJson(o: Json, type: AttributeType): Attribute {
  const vals = Array.isArray(o.vals) ? (o.vals as unknown[]).map(String) : undefined;
  return {
    type,
    ...(typeof o.name === 'string' ? { name: o.name } : {}),
    ...(typeof o.idx === 'number' ? { index: o.idx } : {}),
    ...(typeof o.ord === 'boolean' ? { isOrdinal: o.ord } : {}),
    ...(vals ? { values: vals } : {}),
    ...(typeof o.num_vals === 'number' ? { numValues: o.num_vals } : {}),
    ...(typeof o.min === 'number' ? { min: o.min } : {}),
    ...(typeof o.max === 'number' ? { max: o.max } : {}),
  };
}

function mlAttr(field: StructField): Json | undefined {
  const m = field.metadata?.[ML_ATTR];
  return m !== null && typeof m === 'object' && !Array.isArray(m) ? (m as Json) : undefined;
}

function isGroup(m: Json): boolean {
  return 'num_attrs' in m || 'attrs' in m;
}

/** Field metadata holding one attribute (Spark's `Attribute.toMetadata`). */
export function attributeMetadata(attr: Attribute): Record<string, unknown> {
  return { [ML_ATTR]: attributeJson(attr, true, true) };
}

/** The attribute of a scalar column, or undefined when it has none (Spark's UnresolvedAttribute). */
export function attributeOf(field: StructField): Attribute | undefined {
  const m = mlAttr(field);
  if (!m || isGroup(m)) return undefined;
  const type = m.type === 'nominal' || m.type === 'binary' ? m.type : 'numeric';
  return attributeFromJson(m, type);
}

/** Field metadata holding an attribute group (Spark's `AttributeGroup.toMetadata`). */
export function attributeGroupMetadata(group: AttributeGroup): Record<string, unknown> {
  const o: Json = {};
  const byType: Record<AttributeType, Json[]> = { numeric: [], nominal: [], binary: [] };
  for (const a of group.attributes) byType[a.type].push(attributeJson(a, false, true));
  const attrs: Json = {};
  for (const t of ['numeric', 'nominal', 'binary'] as const) if (byType[t].length > 0) attrs[t] = byType[t];
  if (Object.keys(attrs).length > 0) o.attrs = attrs;
  if (group.numAttributes !== undefined) o.num_attrs = group.numAttributes;
  if (group.name !== undefined) o.name = group.name;
  return { [ML_ATTR]: o };
}

/** The attribute group of a vector column, or undefined when its metadata has none. */
export function attributeGroupOf(field: StructField): AttributeGroup | undefined {
  const m = mlAttr(field);
  if (!m || !isGroup(m)) return undefined;
  const attributes: Attribute[] = [];
  const attrs = (m.attrs ?? {}) as Record<string, unknown>;
  for (const type of ['numeric', 'nominal', 'binary'] as const) {
    const list = attrs[type];
    if (Array.isArray(list)) for (const a of list) attributes.push(attributeFromJson(a as Json, type));
  }
  attributes.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  // Spark's AttributeGroup.size: num_attrs, else the number of attributes listed (Spark lists every
  // one, numeric included, and writes num_attrs only when it lists none; Quiver writes num_attrs always).
  const size = typeof m.num_attrs === 'number' ? m.num_attrs : attributes.length > 0 ? attributes.length : undefined;
  return {
    ...(typeof m.name === 'string' ? { name: m.name } : {}),
    ...(size !== undefined ? { numAttributes: size } : {}),
    attributes,
  };
}

/** A vector column's size: a dense column's width, else its attribute group's size, else undefined. */
export function vectorSizeOf(field: StructField): number | undefined {
  if (field.type.kind === 'vector' && field.type.encoding === 'dense') return field.type.size;
  return attributeGroupOf(field)?.numAttributes;
}

/** The number of levels of a nominal or binary attribute, if known. */
export function numValuesOf(attr: Attribute): number | undefined {
  if (attr.type === 'binary') return 2;
  if (attr.type === 'nominal') return attr.values?.length ?? attr.numValues;
  return undefined;
}

/**
 * Categorical features of a vector column: feature index -> number of categories (Spark's
 * `MetadataUtils.getCategoricalFeatures`): nominal features with their level count, binary ones with 2.
 */
export function categoricalFeatures(field: StructField): Map<number, number> {
  const out = new Map<number, number>();
  for (const a of attributeGroupOf(field)?.attributes ?? []) {
    if (a.type === 'numeric' || a.index === undefined) continue;
    const n = numValuesOf(a);
    if (n === undefined) {
      throw new Error(`Feature ${a.index} is marked as Nominal (categorical), but it does not have the number of values specified.`);
    }
    out.set(a.index, n);
  }
  return out;
}
