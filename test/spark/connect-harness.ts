// A remote session on the suite's shared Spark Connect server (connect-global.ts) for a test
// file, and the row comparison the connect tests use: local and remote rows in the same order,
// equal, doubles within a relative tolerance (Spark and Quiver may sum in different orders).
import { afterAll, beforeAll, expect, inject } from 'vitest';

import { Session, type RemoteSession, type Row } from '../../src/index.js';

export function useRemoteSession(): () => RemoteSession {
  let session: RemoteSession | undefined;
  beforeAll(() => { session = Session.builder().remote(inject('sparkConnect').url).create(); });
  afterAll(async () => { await session?.stop(); });
  return () => {
    if (!session) throw new Error('the remote session exists inside tests only');
    return session;
  };
}

/** Rows equal position by position; numbers within `rel` of each other (0: exactly). */
export function expectSameRowsInOrder(local: readonly Row[], remote: readonly Row[], rel = 0, what = 'rows'): void {
  expect(remote.length, `${what}: row count`).toBe(local.length);
  local.forEach((l, i) => {
    const r = remote[i];
    expect(Object.keys(r), `${what}: columns of row ${i}`).toEqual(Object.keys(l));
    for (const [k, a] of Object.entries(l)) {
      const b = r[k];
      if (typeof a === 'number' && typeof b === 'number' && rel > 0 && Number.isFinite(a)) {
        expect(Math.abs(a - b), `${what}: row ${i}, column ${k}: ${a} vs ${b}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(a)));
      } else {
        expect(b, `${what}: row ${i}, column ${k}`).toEqual(a);
      }
    }
  });
}
