// Assertions on params shared by the persistence tests.
import { expect } from 'vitest';
import type { Params } from '../../src/pipeline/params.js';

/** The same class, uid, params (set and default): what a stage's metadata carries. */
export function expectSameParams(a: Params, b: Params): void {
  expect(b.constructor).toBe(a.constructor);
  expect(b.uid).toBe(a.uid);
  expect(b.paramMapJSON()).toEqual(a.paramMapJSON());
  expect(b.defaultParamMapJSON()).toEqual(a.defaultParamMapJSON());
}
