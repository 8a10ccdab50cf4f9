/** Turns AWS SDK failures into FileSystemErrors that say what went wrong in words, naming s3://bucket/key. */
import { FileSystemError, type FileSystemErrorCode } from './errors.js';
import { errorTarget, type S3Location } from './paths.js';

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

const CREDENTIALS_REJECTED = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
]);

/**
 * `endpoint` is shown for network failures; `context` is appended to the reason
 * (e.g. the destination of a copy).
 */
export function s3Error(
  op: string,
  location: S3Location,
  error: unknown,
  endpoint: string | undefined,
  context = '',
): FileSystemError {
  if (error instanceof FileSystemError) return error;
  const [code, reason] = describe(error as SdkErrorShape, location, endpoint);
  return new FileSystemError({ op, ...errorTarget(location), code, reason: reason + context, cause: error });
}

function describe(error: SdkErrorShape, location: S3Location, endpoint: string | undefined): [FileSystemErrorCode, string] {
  const name = error.name ?? '';
  const status = error.$metadata?.httpStatusCode;
  const message = error.message ?? String(error);
  if (name === 'NoSuchKey') return ['not-found', 'no such key'];
  if (name === 'NoSuchBucket') return ['not-found', `the bucket '${location.bucket}' does not exist`];
  // HEAD responses carry no body, so a missing key and a missing bucket both arrive as NotFound.
  if (name === 'NotFound') return ['not-found', 'no such key (or bucket)'];
  if (name === 'AccessDenied' || name === 'Forbidden' || name === 'AllAccessDisabled') {
    return ['access-denied', 'access denied; check the credentials and the bucket policy'];
  }
  if (CREDENTIALS_REJECTED.has(name)) return ['access-denied', `S3 rejected the credentials (${name}: ${message})`];
  if (name === 'CredentialsProviderError') {
    return [
      'config',
      'no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or S3Config.credentials',
    ];
  }
  const networkCode = errnoOf(error);
  if (networkCode !== undefined || name === 'TimeoutError') {
    const server = endpoint ?? 'the AWS S3 endpoint';
    return ['network', `cannot reach ${server} (${networkCode ?? name}: ${message})`];
  }
  if (status === 404) return ['not-found', `not found (${name || 'HTTP 404'}: ${message})`];
  if (status === 403) return ['access-denied', `access denied (${name || 'HTTP 403'}: ${message})`];
  return ['io', `${name || 'error'}${status ? ` (HTTP ${status})` : ''}: ${message}`];
}

function errnoOf(error: SdkErrorShape): string | undefined {
  for (let e: SdkErrorShape | undefined = error, depth = 0; e && depth < 4; e = e.cause as SdkErrorShape, depth++) {
    if (e.code !== undefined && NETWORK_CODES.has(e.code)) return e.code;
  }
  return undefined;
}
