// Spark's connection string, as PySpark's ChannelBuilder reads it:
//   sc://host[:port][/;param=value;param=value]  — params token, use_ssl, user_id, session_id,
// user_agent; any other key becomes a gRPC metadata header, as in Spark.
export interface ConnectionSpec {
  host: string;
  port: number;
  token?: string;
  useSsl: boolean;
  userId?: string;
  sessionId?: string;
  userAgent?: string;
  /** Other parameters: sent as gRPC metadata on every call. */
  headers: Record<string, string>;
}

export const DEFAULT_CONNECT_PORT = 15002;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseConnectionString(url: string): ConnectionSpec {
  const bad = (why: string) => new Error(`remote(): invalid Spark Connect connection string '${url}': ${why} ` +
    "(expected sc://host[:port][/;param=value...], e.g. 'sc://localhost:15002/;token=abc;use_ssl=true')");
  if (typeof url !== 'string' || !url.startsWith('sc://')) throw bad("it must start with 'sc://'");
  const rest = url.slice(5);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest.split(';')[0] : rest.slice(0, slash);
  const paramText = slash < 0 ? rest.slice(authority.length) : rest.slice(slash + 1);
  if (!authority) throw bad('no host');
  let host = authority, port = DEFAULT_CONNECT_PORT;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority);
  if (!m) throw bad(`'${authority}' is not host[:port]`);
  host = m[1];
  if (m[2] !== undefined) {
    port = Number(m[2]);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(`port ${m[2]} is not between 1 and 65535`);
  }
  if (paramText && !paramText.startsWith(';')) throw bad("parameters must follow '/;'");
  const spec: ConnectionSpec = { host, port, useSsl: false, headers: {} };
  for (const part of paramText.split(';').filter((p) => p.length > 0)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw bad(`parameter '${part}' is not key=value`);
    const key = part.slice(0, eq), value = decodeURIComponent(part.slice(eq + 1));
    switch (key) {
      case 'token': spec.token = value; break;
      case 'use_ssl':
        if (value !== 'true' && value !== 'false') throw bad(`use_ssl must be true or false, not '${value}'`);
        spec.useSsl = value === 'true'; break;
      case 'user_id': spec.userId = value; break;
      case 'user_agent': spec.userAgent = value; break;
      case 'session_id':
        if (!UUID.test(value)) throw bad(`session_id must be a UUID, not '${value}'`);
        spec.sessionId = value; break;
      default: spec.headers[key] = value;
    }
  }
  // As Spark: a token is only sent over TLS, so it turns TLS on.
  if (spec.token !== undefined) spec.useSsl = true;
  return spec;
}
