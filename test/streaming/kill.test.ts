// Exactly-once across SIGKILL: a rate → Parquet query in a child process is killed just after a
// commit (while its next batch may be writing) and restarted from its checkpoint; at the end the output holds every
// value 0 .. valueAtSecond(last offset) - 1 once (the batch result of the rate source over those
// seconds), whatever the kills interrupted: an offsets entry without a commit (replayed), parts
// without a sink log entry (removed), a log entry without a commit (skipped).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { valueAtSecond } from '../../src/index.js';
import { useSession } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';

const CHILD = fileURLToPath(new URL('./kill-child.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const session = useSession('inline');
const temp = useTempDir('quiver-stream-kill-');
const children = new Set<ChildProcess>();
afterAll(() => { for (const c of children) c.kill('SIGKILL'); });

/** Runs the child until it prints a line matching `until`; resolves with the child and that line. */
function run(args: string[], until: RegExp): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '', err = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => until.test(l));
      if (line !== undefined) resolve({ child, line });
    });
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', (code) => reject(new Error(`the streaming child exited (${code}) before printing ${until}: ${out}${err}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('a streaming query killed with SIGKILL', () => {
  it('restarts from its checkpoint; the Parquet output holds each value exactly once', async () => {
    const ckpt = temp.fresh('ckpt'), out = temp.fresh('out');
    // One kill keeps the file near the suite's time budget (each child pays tsx's start-up).
    const { child } = await run([ckpt, out], /^committed \d+/);
    await new Promise((r) => setTimeout(r, 15));
    await kill(child);
    const { line } = await run([ckpt, out, '3'], /^done \d+/);
    const last = Number(line.split(' ')[1]);
    const values = (await (await session().read.parquet(out)).collect<{ value: number }>()).map((r) => Number(r.value)).sort((a, b) => a - b);
    expect(values.length).toBe(valueAtSecond(last, 4000, 0));
    expect(values.every((v, i) => v === i)).toBe(true);
  }, 30_000);
});
