// The `quiver.s3.*` settings are read by one function for the DataFrame readers and writers and
// for model persistence, so both see the same S3: an empty string means "unset" for both (before,
// the readers passed an empty endpoint on while persistence ignored it).
import { describe, expect, it } from 'vitest';

import { s3ConfigFromConf } from '../../src/fs/index.js';
import { s3SettingsOf } from '../../src/dataframe/io/files.js';
import { s3ConfigOf } from '../../src/persistence/index.js';

const conf = (entries: Record<string, string | boolean>) => ({ get: (k: string) => entries[k] });

describe('quiver.s3.* settings', () => {
  it('mean the same to the data readers and to model persistence', () => {
    for (const entries of <Record<string, string | boolean>[]>[
      { 'quiver.s3.endpoint': '', 'quiver.s3.region': '' },
      { 'quiver.s3.endpoint': 'http://127.0.0.1:9000', 'quiver.s3.forcePathStyle': 'TRUE', 'quiver.s3.region': 'eu-west-1' },
      { 'quiver.s3.forcePathStyle': false },
      {},
    ]) {
      const c = conf(entries);
      expect(s3SettingsOf(c) ?? {}).toEqual(s3ConfigOf({ conf: c }));
      expect(s3ConfigOf({ conf: c })).toEqual(s3ConfigFromConf(c));
    }
  });

  it('treat an empty endpoint or region as unset, and parse forcePathStyle as a boolean', () => {
    expect(s3ConfigFromConf(conf({ 'quiver.s3.endpoint': '', 'quiver.s3.region': '' }))).toEqual({});
    expect(s3ConfigFromConf(conf({ 'quiver.s3.endpoint': 'http://h:1', 'quiver.s3.forcePathStyle': 'true' })))
      .toEqual({ endpoint: 'http://h:1', forcePathStyle: true });
    expect(s3ConfigFromConf(conf({ 'quiver.s3.forcePathStyle': 'no' }))).toEqual({ forcePathStyle: false });
    expect(s3ConfigFromConf(undefined)).toEqual({});
  });
});
