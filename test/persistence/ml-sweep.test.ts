/**
 * Saves killed with SIGKILL leave hidden temporaries beside the model; the next save of the same
 * target sweeps the ones whose writer is dead, and only those: a live writer's temporary stays.
 * An overwrite killed between its two renames gets the old model back. On S3, where saves write in
 * place, a dead writer's half-written target no longer blocks the next save.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Vectors } from '../../src/linalg/vectors.js';
import { PipelineModel } from '../../src/pipeline/pipeline.js';
import { load, PathExistsError, S3FileSystem, StageWriter } from '../../src/persistence/index.js';
import { currentOwner } from '../../src/persistence/ml/writer-owner.js';
import { MeanCenterModel, Scale } from './ml-fixtures.js';
import { startS3Server, type S3TestServer } from './s3-server.js';

const CHILD = fileURLToPath(new URL('./ml-save-child.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let n = 0;
const children = new Set<ChildProcess>();

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'quiver-sweep-')); });
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

const model = () => new PipelineModel([
  new Scale({ inputCol: 'x', outputCol: 'y', factor: 3 }),
  new MeanCenterModel(1, Vectors.dense([1, 2])).setInputCol('y').setOutputCol('z'),
]);

/** Starts the child saver; resolves once it printed a line matching `until`. */
function startChild(args: string[], until: RegExp, env: Record<string, string> = {}): Promise<{ child: ChildProcess; line: string }> {
  // Plain node with tsx's loader (not the tsx launcher, which would put a second process in between).
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '', err = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => until.test(l));
      if (line !== undefined) resolve({ child, line });
    });
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', (code) => reject(new Error(`the child saver exited (${code}) before printing ${until}: ${out}${err}`)));
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGKILL'); });
  children.delete(child);
}

const hidden = async (parent: string) => (await readdir(parent)).filter((f) => f.startsWith('.model.')).sort();

describe('local saves killed half-way', () => {
  it('leave temporaries that the next save of the target sweeps', async () => {
    const parent = join(dir, `loop${n++}`);
    const path = join(parent, 'model');
    let leftBehind = 0;
    for (let kill_ = 0; kill_ < 6; kill_++) {
      const { child } = await startChild([path, 'loop'], /^saved \d+/);
      await new Promise((r) => setTimeout(r, 5 + 37 * kill_ % 90)); // kills land at different moments of a save
      await kill(child);
      if ((await hidden(parent)).length > 0) leftBehind++;
      const mine = model();
      await new StageWriter(mine).overwrite().save(path);
      expect(await hidden(parent)).toEqual([]);
      expect((await load<PipelineModel>(path)).uid).toBe(mine.uid);
    }
    // The kills did leave temporaries (else this test would show nothing). Each save writes many
    // files into its temporary copy, so most kills land while one exists.
    expect(leftBehind).toBeGreaterThan(0);
  }, 120_000);

  it("leave a live writer's temporary alone, and sweep it once that writer is dead", async () => {
    const parent = join(dir, `live${n++}`);
    const path = join(parent, 'model');
    // The child stalls at its third file write: its temporary copy exists, half written.
    const { child } = await startChild([path, 'stall:writeFile:3'], /^stalled /);
    const theirs = await hidden(parent);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatch(new RegExp(`^\\.model\\.tmp-[0-9a-f]{8}-${child.pid}-\\d+-[0-9a-f]{12}$`));
    await model().save(path); // a concurrent save of the same target
    expect(await hidden(parent)).toEqual(theirs);
    await kill(child);
    const mine = model();
    await new StageWriter(mine).overwrite().save(path);
    expect(await hidden(parent)).toEqual([]);
    expect((await load<PipelineModel>(path)).uid).toBe(mine.uid);
  }, 60_000);

  it('an overwrite killed between its two renames gets the old model back', async () => {
    const parent = join(dir, `renames${n++}`);
    const path = join(parent, 'model');
    const old = model();
    await old.save(path);
    // Rename 1 moves the old model aside; the child hangs at rename 2, which would move the new one in.
    const { child } = await startChild([path, 'stall:rename:2'], /^stalled /);
    await kill(child);
    expect((await readdir(parent)).filter((f) => !f.startsWith('.'))).toEqual([]); // the target is gone
    expect((await hidden(parent)).map((f) => f.replace(/-.*/, ''))).toEqual(['.model.old', '.model.tmp']);
    // The next save sweeps: the old model comes back, so a save without overwrite is refused.
    await expect(model().save(path)).rejects.toBeInstanceOf(PathExistsError);
    expect(await hidden(parent)).toEqual([]);
    expect((await load<PipelineModel>(path)).uid).toBe(old.uid);
  }, 60_000);
});

describe('who owns a temporary', () => {
  it("sweeps a dead pid's and a reused pid's, keeps another host's", async () => {
    const parent = join(dir, `owners${n++}`);
    const me = currentOwner();
    const otherHost = me.host === '00000000' ? '11111111' : '00000000';
    const names = {
      deadPid: `.model.tmp-${me.host}-4194305-1-aaaaaaaaaaaa`, // above Linux's largest pid_max
      reusedPid: `.model.tmp-${me.host}-${me.pid}-${me.start === '1' ? '2' : '1'}-bbbbbbbbbbbb`, // our pid, another start time
      otherHost: `.model.tmp-${otherHost}-4194305-1-cccccccccccc`,
      otherTarget: `.model2.tmp-${me.host}-4194305-1-dddddddddddd`,
    };
    for (const name of Object.values(names)) await mkdir(join(parent, name, 'data'), { recursive: true });
    await model().save(join(parent, 'model'));
    expect((await readdir(parent)).filter((f) => f.startsWith('.')).sort()).toEqual([names.otherHost, names.otherTarget].sort());
  });
});

describe('S3 saves killed half-way', () => {
  let s3: S3TestServer;
  let fs: S3FileSystem;
  const env = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  beforeAll(async () => {
    s3 = await startS3Server({ bucket: 'quiver-sweep' });
    fs = new S3FileSystem(s3.config);
  });
  afterAll(async () => {
    fs?.close();
    await s3?.stop();
    process.env.AWS_ACCESS_KEY_ID = saved.id; process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  });

  it("a dead writer's half-written target is swept by the next save; a live one's is not", async () => {
    const parent = `s3://${s3.bucket}/sweep${n++}`;
    const path = `${parent}/model`;
    const s3Hidden = async () => (await fs.list(parent)).filter((f) => f.startsWith('.model.'));
    const { child } = await startChild([path, 'stall:writeFile:4', 's3'], /^stalled /, { ...env, QUIVER_TEST_S3_ENDPOINT: s3.endpoint });
    expect(await s3Hidden()).toHaveLength(1); // its marker
    expect(await fs.exists(path)).toBe(true); // files written in place, no metadata yet
    // While it lives, its files are its own: the target exists and a save without overwrite is refused.
    await expect(new StageWriter(model()).s3(s3.config).save(path)).rejects.toBeInstanceOf(PathExistsError);
    await kill(child);
    const mine = model();
    await new StageWriter(mine).s3(s3.config).save(path); // no overwrite needed: the leftovers were a dead save's
    expect(await s3Hidden()).toEqual([]);
    expect((await load<PipelineModel>(path, { s3: s3.config })).uid).toBe(mine.uid);
  }, 60_000);
});
