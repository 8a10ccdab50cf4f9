// The child of kill.test.ts: a rate source into a Parquet file sink with a checkpoint. It prints
// `committed <endOffset>` after each batch, and with a target offset stops cleanly once a batch
// ends at or past it (printing `done <endOffset>`); without one it runs until killed.
import { Session } from '../../src/index.js';

const [checkpoint, out, target] = process.argv.slice(2);
const spark = Session.builder().master('inline').create();
const rate = spark.readStream.format('rate').option('rowsPerSecond', 4000).option('numPartitions', 3).load();
const q = await rate.writeStream.format('parquet').option('checkpointLocation', checkpoint)
  .trigger({ processingTime: '50 milliseconds' }).start(out);
let reported = -1;
for (;;) {
  if (!q.isActive) { console.error(String(q.exception)); process.exit(1); }
  const p = q.lastProgress;
  if (p && p.batchId !== reported) {
    reported = p.batchId;
    const end = p.sources[0].endOffset!;
    console.log(`committed ${end}`);
    if (target !== undefined && end >= Number(target)) {
      await q.stop();
      console.log(`done ${end}`);
      await spark.stop();
      break;
    }
  }
  await new Promise((r) => setTimeout(r, 10));
}
