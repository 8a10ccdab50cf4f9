// One session per master for a test file: created before its tests, stopped after them.
import { afterAll, beforeAll } from 'vitest';
import { Session } from '../../src/index.js';

export function useSessions(masters: readonly string[], conf: Record<string, string | number | boolean> = {}): (master: string) => Session {
  const sessions = new Map<string, Session>();
  beforeAll(() => {
    for (const m of masters) {
      let b = Session.builder().appName(`test-${m}`).master(m);
      for (const [k, v] of Object.entries(conf)) b = b.config(k, v);
      sessions.set(m, b.create());
    }
  });
  afterAll(async () => { for (const s of sessions.values()) await s.stop(); });
  return (master) => {
    const s = sessions.get(master);
    if (!s) throw new Error(`no test session for master '${master}'`);
    return s;
  };
}

/** The pair most test files use: `spark`, a local[2] worker pool, and `inline`, on the calling thread. */
export function useSparkAndInline(conf: Record<string, string | number | boolean> = {}): { spark: () => Session; inline: () => Session } {
  const session = useSessions(['local[2]', 'inline'], conf);
  return { spark: () => session('local[2]'), inline: () => session('inline') };
}

/** One session for a test file. */
export function useSession(master: string, conf: Record<string, string | number | boolean> = {}): () => Session {
  const session = useSessions([master], conf);
  return () => session(master);
}
