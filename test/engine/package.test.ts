// Runs Quiver the way a user does: `import ... from 'quiver'` (the built package, dist/) in a
// fresh Node process, with workers started from compiled JavaScript.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('../../', import.meta.url).pathname;

function runScript(source: string): { status: number | null; stdout: string; stderr: string; ms: number } {
  if (!existsSync(`${root}dist/index.js`)) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', source], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

describe('the built package', () => {
  it('imports from the package root and runs a job on worker threads, then exits after stop()', () => {
    const r = runScript(`
      import { Session, col } from 'quiver';
      const spark = Session.builder().master('local[2]').getOrCreate();
      const df = spark.createDataFrame([{ a: 1 }, { a: 2 }, { a: 3 }], { numPartitions: 3 });
      console.log(await df.filter(col('a').gt(1)).count());
      await spark.stop();`);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('2');
    expect(r.status).toBe(0);
  });

  it('exits by itself once idle when the program forgets to stop the session', () => {
    const r = runScript(`
      import { Session } from 'quiver';
      const spark = Session.builder().master('local[2]').getOrCreate();
      console.log(await spark.createDataFrame([{ a: 1 }, { a: 2 }]).count());`);
    expect(r.stdout.trim()).toBe('2');
    expect(r.status).toBe(0); // a hang would hit the 60 s timeout and give status null
  });
});

describe('worker options', () => {
  it('keeps module-loading flags and drops V8 and entry-only ones', async () => {
    const { workerExecArgv } = await import('../../src/engine/worker-pool.js');
    expect(workerExecArgv(['--max-old-space-size=8192', '--import', 'tsx', '--input-type', 'module', '--enable-source-maps', '--experimental-vm-modules', '--stack-size=2000', '-r', './x.cjs']))
      .toEqual(['--import', 'tsx', '--enable-source-maps', '--experimental-vm-modules', '-r', './x.cjs']);
  });

  it('starts workers in a process run with a V8 heap flag', () => {
    const r = spawnSync(process.execPath, ['--max-old-space-size=4096', '--input-type=module', '-e', `
      import { Session } from 'quiver';
      const spark = Session.builder().master('local[2]').getOrCreate();
      console.log(await spark.createDataFrame([{ a: 1 }]).count());
      await spark.stop();`], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout.trim()).toBe('1');
    expect(r.status).toBe(0);
  });
});
