/**
 * Builds the S3 client from an S3Config plus the standard AWS environment. The SDK is imported
 * on first use so that programs touching only local paths do not pay for loading it; it is an
 * optional peer dependency (22 MB), so a local-only user need not install it at all.
 */
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';

import type { S3Config, S3Settings } from './s3-config.js';

export type S3Sdk = typeof import('@aws-sdk/client-s3');

let sdk: Promise<S3Sdk> | undefined;

export function loadS3Sdk(): Promise<S3Sdk> {
  return (sdk ??= import('@aws-sdk/client-s3').catch((error: unknown) => {
    throw isMissingSdk(error) ? new Error(S3_SDK_MISSING, { cause: error }) : error;
  }));
}

export const S3_SDK_MISSING =
  's3:// paths need the AWS SDK, an optional peer dependency of quiver that is not installed: npm install @aws-sdk/client-s3';

/** The SDK package itself is absent (not one of its own dependencies, which is a broken install to report as is). */
function isMissingSdk(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e?.code === 'ERR_MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes("'@aws-sdk/client-s3'");
}

export async function createS3Client(config: S3Config, settings: S3Settings): Promise<{ sdk: S3Sdk; client: S3Client }> {
  const s3 = await loadS3Sdk();
  const options: S3ClientConfig = {
    forcePathStyle: settings.forcePathStyle,
    // S3-compatible servers (s3rver, older MinIO and Ceph) reject the SDK's default CRC checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A bucket in another region answers with a redirect; follow it rather than fail.
    followRegionRedirects: true,
  };
  if (settings.region !== undefined) options.region = settings.region;
  if (settings.endpoint !== undefined) options.endpoint = settings.endpoint;
  if (config.credentials !== undefined) options.credentials = config.credentials;
  if (config.maxAttempts !== undefined) options.maxAttempts = config.maxAttempts;

  let client = new s3.S3Client(options);
  if (settings.region === undefined && !(await hasRegion(client))) {
    // No region anywhere in the chain: S3 is reachable from us-east-1 and redirects are followed.
    client.destroy();
    client = new s3.S3Client({ ...options, region: 'us-east-1' });
  }
  return { sdk: s3, client };
}

async function hasRegion(client: S3Client): Promise<boolean> {
  try {
    return Boolean(await client.config.region());
  } catch {
    return false;
  }
}
