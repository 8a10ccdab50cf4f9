import { describe, expect, it } from 'vitest';
import { useSparkDriver } from './harness.js';
const { spark } = useSparkDriver();
describe('smoke', () => {
  it('runs', async () => {
    const t = Date.now();
    const v = await spark().run<unknown>('result = [spark.version, Vectors.dense([1.0, float("nan")]), args]', { a: [1.5, NaN] });
    console.log(v, Date.now() - t);
    expect(v).toBeTruthy();
  });
});
