// The main job: a small fraud-detection pipeline on an embedded, generated data set.
//  1. Build a DataFrame of card transactions (users, merchants' categories, amounts, timestamps).
//  2. Feature engineering with wide operations: each user's transactions in the previous hour
//     (a window), each user's average amount (groupBy joined back), the amount's ratio to it.
//  3. A Pipeline: StringIndexer → OneHotEncoder → VectorAssembler → StandardScaler → LogisticRegression.
//  4. Evaluate (area under ROC on a held-out split), save the fitted PipelineModel, load it back and
//     check that it scores the same; timings on `local` and `local[*]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Session, col, functions as F, Window, Pipeline, PipelineModel, StringIndexer, OneHotEncoder, VectorAssembler,
  StandardScaler, LogisticRegression, BinaryClassificationEvaluator,
} from 'quiver';

const rows = Number(process.env.DEMO_ROWS ?? 200_000);
const CATEGORIES = ['grocery', 'fuel', 'travel', 'online', 'electronics', 'restaurant'];

/** Embedded default data: a seeded generator of transactions with a known fraud pattern. */
function transactions(n) {
  let s = 12345;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const users = Math.max(100, Math.floor(n / 40));
  const clock = new Float64Array(users).map(() => rnd() * 86_400);
  const burstLeft = new Int32Array(users);
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const user = Math.floor(rnd() * users);
    // A stolen card is used in a burst: several quick, larger, often online transactions.
    if (burstLeft[user] === 0 && rnd() < 0.006) burstLeft[user] = 3 + Math.floor(rnd() * 6);
    const burst = burstLeft[user] > 0;
    if (burst) burstLeft[user]--;
    clock[user] += burst ? 30 + rnd() * 120 : 600 + rnd() * 20_000;
    const category = burst && rnd() < 0.7 ? 'online' : CATEGORIES[Math.floor(rnd() * CATEGORIES.length)];
    const amount = Math.round((burst ? 200 + rnd() * 800 : 5 + rnd() * rnd() * 300) * 100) / 100;
    // Most burst transactions are later reported as fraud; a few ordinary ones are disputed too.
    const label = rnd() < (burst ? 0.9 : 0.01) ? 1 : 0;
    out[i] = { user, ts: Math.round(clock[user]), category, amount, label };
  }
  return out;
}

async function run(master, data, verbose) {
  const spark = Session.builder().appName('quiver-demo').master(master).create();
  const t = {};
  const time = async (name, fn) => { const t0 = performance.now(); const r = await fn(); t[name] = +((performance.now() - t0) / 1000).toFixed(3); return r; };
  try {
    const raw = spark.createDataFrame(data).cache();
    await time('load', () => raw.count());

    // Feature engineering: velocity in the last hour, and the amount against the user's average.
    const lastHour = Window.partitionBy('user').orderBy('ts').rangeBetween(-3600, 0);
    const perUser = raw.groupBy('user').agg(F.avg('amount').alias('userAvg'), F.count().alias('userTxns'));
    const features = raw
      .withColumn('velocity', F.count('*').over(lastHour))
      .join(perUser, 'user')
      .withColumn('amountRatio', col('amount').divide(col('userAvg')))
      .cache();
    await time('features', () => features.count());

    const [train, test] = features.randomSplit([0.8, 0.2], 7);
    const pipeline = new Pipeline({
      stages: [
        new StringIndexer({ inputCol: 'category', outputCol: 'categoryIndex' }),
        new OneHotEncoder({ inputCols: ['categoryIndex'], outputCols: ['categoryVec'] }),
        new VectorAssembler({ inputCols: ['amount', 'velocity', 'amountRatio', 'userTxns', 'categoryVec'], outputCol: 'raw' }),
        new StandardScaler({ inputCol: 'raw', outputCol: 'features' }),
        new LogisticRegression({ maxIter: 100, regParam: 0.001 }),
      ],
    });
    const model = await time('fit', () => pipeline.fit(train));
    const scored = model.transform(test).cache();
    const auc = await time('evaluate', () => new BinaryClassificationEvaluator().evaluate(scored));

    const dir = mkdtempSync(join(tmpdir(), 'quiver-demo-'));
    try {
      await time('save+load', async () => {
        await model.write().overwrite().save(join(dir, 'model'));
        const loaded = await PipelineModel.load(join(dir, 'model'));
        const a = await scored.select('prediction').collect();
        const b = await loaded.transform(test).select('prediction').collect();
        if (a.some((r, i) => r.prediction !== b[i].prediction)) throw new Error('the loaded model scores differently');
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    if (verbose) {
      console.log(`\n${(await raw.count()).toLocaleString()} transactions of ${(await perUser.count()).toLocaleString()} users`);
      features.printSchema();
      await features.select('user', 'ts', 'category', 'amount', 'velocity', 'amountRatio', 'label').show(5);
      await features.groupBy('label').agg(F.count().alias('n'), F.avg('velocity').alias('avgVelocity'), F.avg('amount').alias('avgAmount')).orderBy('label').show();
      const lr = model.stages[model.stages.length - 1];
      console.log(`logistic regression: ${lr.summary?.totalIterations ?? '?'} iterations, intercept ${lr.intercept.toFixed(4)}`);
      console.log(`area under ROC on the held-out 20%: ${auc.toFixed(4)}`);
      console.log('saved, loaded and re-scored the PipelineModel: identical predictions');
    }
    return { master, threads: spark.engine.parallelism, seconds: t };
  } finally {
    await spark.stop();
  }
}

const data = transactions(rows);
const timings = [];
timings.push(await run('local', data, true));
timings.push(await run('local[*]', data, false));
console.log('\ntimings (seconds):');
for (const r of timings) console.log(`  ${r.master.padEnd(9)} ${r.threads} thread(s)  ${JSON.stringify(r.seconds)}`);
