// The `quiver` command, run as a user runs it (a child process of src/cli.ts under tsx): fit from a
// pipeline file, show, transform and score a saved model. Expected values: the same model's
// transform in this process. Failures (run in this process, through the same runCli) must be one
// line on stderr and a non-zero exit.
import { spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { load, type PipelineModel } from '../../src/index.js';
import { runCli } from '../../src/cli/program.js';
import { useSession } from '../helpers/sessions.js';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const spark = useSession('local[2]');
let dir: string;

function quiver(args: string[], stdin = ''): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout.on('data', (d: Buffer) => { out += d; });
  child.stderr.on('data', (d: Buffer) => { err += d; });
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

/** The same command line in this process (runCli, which src/cli.ts runs), for the many failure cases. */
async function quiverHere(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const sink = (add: (s: string) => void) => new Writable({ write(chunk, _enc, done) { add(String(chunk)); done(); } });
  const code = await runCli(args, { stdin: Readable.from([stdin]), stdout: sink((s) => { out += s; }), stderr: sink((s) => { err += s; }) });
  return { code, out, err };
}

const rows = Array.from({ length: 200 }, (_, i) => ({ amount: (i * 37) % 101, hour: i % 24, city: ['a', 'b', 'c'][i % 3], label: (i * 37) % 101 > 60 ? 1 : 0 }));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quiver-cli-'));
  await spark().createDataFrame(rows, { numPartitions: 2 }).write.json(join(dir, 'train.json'));
  await writeFile(join(dir, 'pipeline.json'), JSON.stringify({ stages: [
    { class: 'StringIndexer', params: { inputCol: 'city', outputCol: 'cityIndex', handleInvalid: 'keep' } },
    { class: 'VectorAssembler', params: { inputCols: ['amount', 'hour', 'cityIndex'], outputCol: 'features' } },
    { class: 'org.apache.spark.ml.classification.LogisticRegression', params: { maxIter: 25 } },
  ] }));
}, 60_000);
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('quiver', () => {
  it('fits a pipeline file, shows the model, transforms and scores with it as the model itself does', async () => {
    const model = join(dir, 'model');
    const fitted = await quiver(['fit', '--pipeline', join(dir, 'pipeline.json'), '--data', join(dir, 'train.json'), '--out', model]);
    expect(fitted.err).toBe('');
    expect(fitted.out).toMatch(/^saved PipelineModel Pipeline_\w+ \(3 stages\) to /);
    expect(fitted.code).toBe(0);

    const shown = await quiver(['show', model]);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/^org\.apache\.spark\.ml\.PipelineModel \(uid Pipeline_\w+\)/);
    expect(shown.out).toMatch(/stage 2: LogisticRegressionModel .*\n(.*\n)*\s+maxIter: 25/);

    const saved = await load<PipelineModel>(model);
    const expected = await saved.transform(await spark().read.json(join(dir, 'train.json'))).select('probability', 'prediction').collect();
    const input = rows.map(({ amount, hour, city }) => JSON.stringify({ amount, hour, city })).join('\n');
    const scored = await quiver(['score', '--model', model, '--schema', 'amount DOUBLE, hour DOUBLE, city STRING'], input);
    expect(scored.err).toBe('');
    expect(scored.out.trim().split('\n').map((l) => JSON.parse(l).prediction)).toEqual(expected.map((r) => r.prediction));
    expect(JSON.parse(scored.out.split('\n')[0]).probability).toEqual(Array.from((expected[0].probability as { values: Float64Array }).values));

    const out = join(dir, 'scored');
    const transformed = await quiver(['transform', '--model', model, '--data', join(dir, 'train.json'), '--out', out]);
    expect(transformed.code).toBe(0);
    const written = await spark().read.parquet(out);
    expect((await written.select('prediction').collect()).map((r) => r.prediction)).toEqual(expected.map((r) => r.prediction));
  }, 120_000);

  it('says what is wrong in one line and exits non-zero', async () => {
    const cases: [string[], string, RegExp, number][] = [
      [['fit', '--data', 'x.json', '--out', 'y'], '', /required option '--pipeline <file>' not specified/, 2],
      [['frobnicate'], '', /unknown command 'frobnicate'/, 2],
      [['show', join(dir, 'nowhere')], '', /nothing is saved here: the path does not exist/, 1],
      [['fit', '--pipeline', join(dir, 'missing.json'), '--data', 'x.json', '--out', 'y'], '', /cannot read the pipeline file .*missing\.json: ENOENT/, 1],
      [['score', '--model', join(dir, 'model')], '{"amount": 1, "hour": 2, "city": "a"}\nnot json\n', /line 2 is not JSON/, 1],
    ];
    await writeFile(join(dir, 'bad-class.json'), JSON.stringify({ stages: [{ class: 'NoSuchStage', params: {} }] }));
    cases.push([['fit', '--pipeline', join(dir, 'bad-class.json'), '--data', 'x.json', '--out', 'y'], '', /stages\[0\]: unknown stage class 'NoSuchStage'; known: .*VectorAssembler/, 1]);
    for (const [args, stdin, message, code] of cases) {
      const r = await quiverHere(args, stdin);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.err.trim().split('\n'), `${args.join(' ')}: one line`).toHaveLength(1);
      expect(r.code, args.join(' ')).toBe(code);
    }
    expect(await readdir(dir)).not.toContain('y');
  }, 120_000);
});
