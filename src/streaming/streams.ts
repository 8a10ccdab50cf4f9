// One StreamingQueryManager per session (spark.streams).
import type { Session } from '../dataframe/session.js';
import { StreamingQueryManager } from './manager.js';

const managers = new WeakMap<Session, StreamingQueryManager>();

export function streamsOf(session: Session): StreamingQueryManager {
  let m = managers.get(session);
  if (!m) { m = new StreamingQueryManager(); managers.set(session, m); }
  return m;
}
