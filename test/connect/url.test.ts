/**
 * Spark's connection string (as PySpark's ChannelBuilder reads it) and the remote builder's checks;
 * no server needed. The expected values are the documented meaning of each part of
 * sc://host:port/;param=value (Spark Connect's client connection string reference).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { parseConnectionString, RemoteSession, Session } from '../../src/index.js';
import { loadProtocol } from '../../src/connect/proto.js';

describe('parseConnectionString', () => {
  it('takes host and port, defaulting the port to 15002', () => {
    expect(parseConnectionString('sc://localhost')).toMatchObject({ host: 'localhost', port: 15002, useSsl: false });
    expect(parseConnectionString('sc://10.0.0.5:443')).toMatchObject({ host: '10.0.0.5', port: 443 });
    expect(parseConnectionString('sc://[::1]:15003')).toMatchObject({ host: '[::1]', port: 15003 });
  });

  it('reads token, use_ssl, user_id, session_id, user_agent; other keys become headers', () => {
    const id = '0b7c4a52-84a5-4c56-9b3c-4ef1a1b5e2d1';
    expect(parseConnectionString(`sc://h:1/;use_ssl=true;user_id=ana;session_id=${id};user_agent=app;x-trace=7`)).toEqual({
      host: 'h', port: 1, useSsl: true, userId: 'ana', sessionId: id, userAgent: 'app', headers: { 'x-trace': '7' },
    });
    // A token is only ever sent over TLS.
    expect(parseConnectionString('sc://h/;token=abc')).toMatchObject({ token: 'abc', useSsl: true });
    expect(parseConnectionString('sc://h:2;user_id=bo')).toMatchObject({ port: 2, userId: 'bo' });
  });

  it.each([
    ['http://h:15002', "must start with 'sc://'"],
    ['sc://', 'no host'],
    ['sc://h:99999', 'port 99999 is not between 1 and 65535'],
    ['sc://h/;use_ssl=yes', "use_ssl must be true or false, not 'yes'"],
    ['sc://h/;session_id=abc', "session_id must be a UUID, not 'abc'"],
    ['sc://h/;token', "parameter 'token' is not key=value"],
    ['sc://h/user_id=x', "parameters must follow '/;'"],
  ])('rejects %s naming the problem', (url, why) => {
    expect(() => parseConnectionString(url)).toThrow(why);
  });
});

describe('Session.builder().remote()', () => {
  const saved = process.env.SPARK_REMOTE;
  afterEach(() => { if (saved === undefined) delete process.env.SPARK_REMOTE; else process.env.SPARK_REMOTE = saved; });

  it('builds a remote session; without a URL it reads SPARK_REMOTE', async () => {
    const s = Session.builder().appName('a').remote('sc://127.0.0.1:15009').create();
    expect(s).toBeInstanceOf(RemoteSession);
    expect(s.connection).toMatchObject({ host: '127.0.0.1', port: 15009 });
    expect(s.appName).toBe('a');
    process.env.SPARK_REMOTE = 'sc://example.com:7777';
    expect(Session.builder().remote().create().connection).toMatchObject({ host: 'example.com', port: 7777 });
    delete process.env.SPARK_REMOTE;
    expect(() => Session.builder().remote()).toThrow('give a connection string such as sc://localhost:15002, or set SPARK_REMOTE');
    expect(() => Session.builder().remote('localhost:15002')).toThrow("must start with 'sc://'");
    await s.stop();
    await expect(s.range(3).count()).rejects.toThrow('remote session sc://127.0.0.1:15009 was stopped');
  });

  it('getOrCreate returns the active remote session for the same URL', async () => {
    const a = Session.builder().remote('sc://127.0.0.1:15010').getOrCreate();
    expect(Session.builder().remote('sc://127.0.0.1:15010').getOrCreate()).toBe(a);
    expect(Session.builder().remote('sc://127.0.0.1:15011').getOrCreate()).not.toBe(a);
  });
});

describe('the protocol definitions', () => {
  it('missing .proto files give an error saying how to produce them', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'quiver-no-proto-'));
    const saved = process.env.QUIVER_CONNECT_PROTO_DIR;
    process.env.QUIVER_CONNECT_PROTO_DIR = empty;
    try {
      await expect(loadProtocol()).rejects.toThrow(/protocol definitions are not at .*quiver-no-proto-.*run `npm run spark:setup`/);
    } finally {
      if (saved === undefined) delete process.env.QUIVER_CONNECT_PROTO_DIR; else process.env.QUIVER_CONNECT_PROTO_DIR = saved;
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
