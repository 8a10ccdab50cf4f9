// A failing task is reported once: its message names the stage and column whose computation
// failed (a column mapper inside the task's input), not only the kernel that consumed them; the
// stack is the executor's, and printing the error does not repeat the message.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DecisionTreeClassifier, Pipeline, StringIndexer, TaskFailure, VectorAssembler } from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

const masters = ['inline', 'local[2]'] as const;
const session = useSessions(masters);
const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('task failures', () => {
  it("name the stage and column that produced a bad value (a null VectorAssembler refuses), once", async () => {
    for (const m of masters) {
      const df = session(m).createDataFrame([{ x: 1, label: 0 }, { x: null, label: 1 }, { x: 3, label: 0 }], { numPartitions: 1, schema: { x: 'double', label: 'double' } });
      const assembler = new VectorAssembler({ inputCols: ['x'], outputCol: 'features' });
      const err = await new DecisionTreeClassifier().fit(assembler.transform(df)).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(TaskFailure);
      const failure = err as TaskFailure;
      expect(failure.message).toBe(`${assembler.uid} failed computing column 'features' on partition 0 (input of kernel 'tree.scan'): ` +
        'Encountered null while assembling a row with handleInvalid = "error". Consider removing nulls from dataset or using ' +
        `handleInvalid = "keep" or "skip". (input column 'x', row 1 of the partition)`);
      expect([failure.stage, failure.columns, failure.kernel, failure.partition]).toEqual([assembler.uid, ['features'], 'tree.scan', 0]);
      // Said once: in the stack (whose frames are the executor's) and in what console.log prints.
      expect(occurrences(String(failure.stack), 'Encountered null')).toBe(1);
      expect(String(failure.stack)).toMatch(/vector-assembler\.kernels\.(ts|js)/);
      expect(occurrences(inspect(failure), 'Encountered null')).toBe(1);
      expect(failure.executorStack).toMatch(/Encountered null/);
    }
  });

  it('name the innermost stage when stages are chained in a pipeline', async () => {
    const df = session('local[2]').createDataFrame([{ s: 'a', x: 1 }, { s: 'b', x: Number.NaN }], { schema: { s: 'string', x: 'double' } });
    const indexer = new StringIndexer({ inputCol: 's', outputCol: 'si' });
    const assembler = new VectorAssembler({ inputCols: ['si', 'x'], outputCol: 'features' });
    const model = await new Pipeline({ stages: [indexer] }).fit(df);
    const out = assembler.transform(model.transform(df));
    const err = await out.collect().then(() => null, (e: unknown) => e) as TaskFailure;
    expect(err.stage).toBe(assembler.uid);
    expect(err.message).toMatch(new RegExp(`^${assembler.uid} failed computing column 'features' on partition \\d \\(input of kernel 'df.materialize'\\): Encountered NaN .*\\(input column 'x', row 0 of the partition\\)$`));
  });
});
