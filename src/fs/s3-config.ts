/**
 * S3 settings: what a user configures and how it combines with the standard AWS environment.
 * Nothing here loads or names the AWS SDK's types, so Quiver's declarations type-check in a project
 * that did not install the optional `@aws-sdk/client-s3` (s3-client.ts is the one that does).
 */

/**
 * AWS credentials, the shape of the SDK's `AwsCredentialIdentity`. A provider from
 * `@aws-sdk/credential-providers` (`fromIni()`, `fromEnv()`, …) fits the function form.
 */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When the credentials stop working; the SDK asks a provider again before then. */
  expiration?: Date;
}

export interface S3Config {
  /** Default: `AWS_REGION`, `AWS_DEFAULT_REGION`, the shared config profile, else `us-east-1`. */
  region?: string;
  /** An S3-compatible server, e.g. `http://127.0.0.1:9000`. Default: `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`. */
  endpoint?: string;
  /** `bucket` in the URL path rather than the host name. Default: true when an endpoint is set. */
  forcePathStyle?: boolean;
  /** Default: the SDK's standard chain (environment, shared files, SSO, container and instance roles). */
  credentials?: S3Credentials | (() => Promise<S3Credentials>);
  /** Attempts per request, retries included (the SDK's default is 3). */
  maxAttempts?: number;
}

export interface S3Settings {
  region: string | undefined;
  endpoint: string | undefined;
  forcePathStyle: boolean;
}

/** Session settings as `quiver.s3.*` keys (duck-typed: a Session's conf, or any key lookup). */
export interface S3ConfSource { get(key: string): unknown }

/**
 * The S3 part of a session's settings (`quiver.s3.endpoint`, `.forcePathStyle`, `.region`), as
 * plain data that travels inside partition plans. An empty string counts as unset (so the
 * environment's default applies), for every reader and writer alike.
 */
export function s3ConfigFromConf(conf: S3ConfSource | null | undefined): Pick<S3Config, 'endpoint' | 'forcePathStyle' | 'region'> {
  const out: Pick<S3Config, 'endpoint' | 'forcePathStyle' | 'region'> = {};
  if (!conf) return out;
  const endpoint = conf.get('quiver.s3.endpoint');
  const force = conf.get('quiver.s3.forcePathStyle');
  const region = conf.get('quiver.s3.region');
  if (endpoint !== undefined && endpoint !== '') out.endpoint = String(endpoint);
  if (force !== undefined) out.forcePathStyle = force === true || String(force).toLowerCase() === 'true';
  if (region !== undefined && region !== '') out.region = String(region);
  return out;
}

/** Explicit config wins over the environment; throws at once for an endpoint that is not a URL. */
export function resolveS3Settings(config: S3Config, env: NodeJS.ProcessEnv = process.env): S3Settings {
  const endpoint = config.endpoint ?? nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  if (endpoint !== undefined && !URL.canParse(endpoint)) {
    throw new Error(`S3 endpoint '${endpoint}' is not a URL (expected e.g. http://127.0.0.1:9000)`);
  }
  if (config.maxAttempts !== undefined && !(Number.isInteger(config.maxAttempts) && config.maxAttempts >= 1)) {
    throw new Error(`S3 maxAttempts must be an integer >= 1, got ${config.maxAttempts}`);
  }
  return {
    region: config.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION),
    endpoint,
    forcePathStyle: config.forcePathStyle ?? endpoint !== undefined,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
