// textFile and saveAsTextFile: lines split across tasks by byte ranges (Hadoop's rule), globs,
// directories, several paths; one part file per partition, published all at once.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSessions } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';

const MASTERS = ['local[2]', 'inline'] as const;
const session = useSessions(MASTERS);
const tmp = useTempDir('quiver-rdd-io-');

describe.each(MASTERS)('RDD files on %s', (master) => {
  const sc = () => session(master).sparkContext;

  it('textFile reads every line once, whatever the split count, with \\n, \\r\\n and \\r endings', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(i % 17)}`);
    const text = lines.map((l, i) => l + (i % 3 === 0 ? '\r\n' : i % 3 === 1 ? '\n' : '\r')).join('');
    const file = tmp.file('a.txt', text);
    for (const minPartitions of [1, 2, 7, 50]) {
      const rdd = await sc().textFile(file, minPartitions);
      expect(rdd.getNumPartitions()).toBeGreaterThanOrEqual(minPartitions);
      expect(await rdd.collect()).toEqual(lines);
    }
    const noFinalNewline = tmp.file('b.txt', 'one\ntwo\n\nfour');
    expect(await (await sc().textFile(noFinalNewline)).collect()).toEqual(['one', 'two', '', 'four']);
    expect(await (await sc().textFile(tmp.file('empty.txt', ''))).count()).toBe(0);
  });

  it('textFile takes directories, globs and comma-separated paths; a missing path fails naming it', async () => {
    const dir = tmp.freshDir();
    fs.writeFileSync(path.join(dir, 'p1.txt'), 'a\nb\n');
    fs.writeFileSync(path.join(dir, 'p2.txt'), 'c\n');
    fs.writeFileSync(path.join(dir, 'other.log'), 'z\n');
    fs.writeFileSync(path.join(dir, '_hidden'), 'h\n');
    expect(await (await sc().textFile(dir)).collect()).toEqual(['z', 'a', 'b', 'c']);
    expect(await (await sc().textFile(path.join(dir, '*.txt'))).collect()).toEqual(['a', 'b', 'c']);
    expect(await (await sc().textFile(`${path.join(dir, 'p2.txt')},${path.join(dir, 'p1.txt')}`)).collect()).toEqual(['c', 'a', 'b']);
    await expect(sc().textFile(path.join(dir, 'nope.txt'))).rejects.toThrow(/Path does not exist: .*nope\.txt/);
  });

  it('the word count over a text file, saved as text and read back', async () => {
    const file = tmp.file('words.txt', 'the quick brown fox\njumps over the lazy dog\nthe end\n');
    const counts = (await sc().textFile(file))
      .flatMap((line) => line.split(' '))
      .map((word) => [word, 1] as [string, number])
      .reduceByKey((a, b) => a + b, 3);
    const out = tmp.fresh('counts');
    await counts.saveAsTextFile(out);
    const parts = fs.readdirSync(out).sort();
    expect(parts).toEqual(['_SUCCESS', 'part-00000', 'part-00001', 'part-00002']);
    const back = await (await sc().textFile(out)).map((line) => JSON.parse(line) as [string, number]).collect();
    expect(Object.fromEntries(back)).toEqual({ the: 3, quick: 1, brown: 1, fox: 1, jumps: 1, over: 1, lazy: 1, dog: 1, end: 1 });
    await expect(counts.saveAsTextFile(out)).rejects.toThrow(/output directory .* already exists/);
  });

  it('saveAsTextFile writes strings as they are, other values as JSON or String(x); a failing task leaves nothing', async () => {
    const out = tmp.fresh('values');
    await sc().parallelize(['plain', 3, true, null, [1, 'a'], { k: 2 }], 2).saveAsTextFile(out);
    expect(fs.readFileSync(path.join(out, 'part-00000'), 'utf8')).toBe('plain\n3\ntrue\n');
    expect(fs.readFileSync(path.join(out, 'part-00001'), 'utf8')).toBe('null\n[1,"a"]\n{"k":2}\n');
    const failed = tmp.fresh('failed');
    await expect(sc().parallelize([1, 2, 3], 3).map((x) => { if (x === 3) throw new Error('boom'); return x; }).saveAsTextFile(failed))
      .rejects.toThrow(/nothing was written there.*boom/);
    expect(fs.existsSync(failed)).toBe(false);
    expect(fs.readdirSync(path.dirname(failed)).filter((n) => n.includes('failed'))).toEqual([]);
  });
});
