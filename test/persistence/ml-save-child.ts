/**
 * Run in a child process by ml-sweep.test.ts, to be killed with SIGKILL in the middle of a save.
 *
 *   tsx ml-save-child.ts <path> loop                 saves a pipeline over and over (overwrite), printing "saved"
 *   tsx ml-save-child.ts <path> stall:<op>:<n> [s3]  saves once, hanging forever at the n-th call of
 *                                                    FileSystem.<op>, after printing "stalled"
 *
 * With `s3`, the path is on S3: endpoint from QUIVER_TEST_S3_ENDPOINT, s3rver's credentials from the environment.
 */
import { LocalFileSystem, S3FileSystem, StageWriter, type FileSystem } from '../../src/persistence/index.js';
import { Vectors } from '../../src/linalg/vectors.js';
import { PipelineModel } from '../../src/pipeline/pipeline.js';
import { MeanCenterModel, Scale } from './ml-fixtures.js';

const [path, mode, where] = process.argv.slice(2) as [string, string, string | undefined];
const inner: FileSystem = where === 's3'
  ? new S3FileSystem({ endpoint: process.env.QUIVER_TEST_S3_ENDPOINT!, forcePathStyle: true, region: 'us-east-1' })
  : new LocalFileSystem();

const model = (factor: number) => new PipelineModel([
  new Scale({ inputCol: 'x', outputCol: 'y', factor }),
  new MeanCenterModel(factor, Vectors.dense([factor, 2])).setInputCol('y').setOutputCol('z'),
]);

/** `inner`, except that the n-th call of `op` never returns. */
function stallingAt(op: string, n: number): FileSystem {
  let calls = 0;
  return new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      if (key !== op) return value.bind(target);
      return async (...args: unknown[]) => {
        if (++calls === n) {
          process.stdout.write(`stalled ${String(args[0])}\n`);
          // A promise that never settles does not keep Node alive: without the timer the process
          // would exit (code 13) at once, and a test that expects a live writer would race its death.
          setInterval(() => undefined, 1 << 30);
          return new Promise(() => undefined);
        }
        return value.apply(target, args);
      };
    },
  });
}

if (mode === 'loop') {
  process.stdout.write('ready\n');
  for (let i = 1; ; i++) {
    await new StageWriter(model(i)).fileSystem(inner).overwrite().save(path);
    process.stdout.write(`saved ${i}\n`);
  }
} else {
  const [, op, n] = mode.split(':') as [string, string, string];
  await new StageWriter(model(7)).fileSystem(stallingAt(op, Number(n))).overwrite().save(path);
  process.stdout.write('not stalled\n');
}
