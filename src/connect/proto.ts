// Spark Connect's protocol, loaded at run time from Spark's own .proto files. They are extracted
// from the installed Spark's connect jar by scripts/spark/connect-proto.sh (run by
// `npm run spark:setup`) into .spark/connect-proto/ — nothing is generated or committed, so a
// machine without Java or Python runs the local engine and its tests unaffected, and the
// protocol always matches the Spark it was extracted from. Loaded once, on a session's first use.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';

/** The gRPC client constructor of `spark.connect.SparkConnectService` and the protobuf types we decode by hand. */
export interface ConnectProtocol {
  grpc: typeof grpc;
  Service: grpc.ServiceClientConstructor;
  /** google.rpc.Status and the details Spark attaches to an error (ErrorInfo). */
  decodeStatus(bytes: Uint8Array): { code: number; message: string; details: { type_url: string; value: Buffer }[] };
  decodeErrorInfo(bytes: Uint8Array): { reason: string; domain: string; metadata: Record<string, string> };
  /** The Spark version the protos were extracted from (their VERSION file). */
  sparkVersion: string;
  dir: string;
}

let loaded: Promise<ConnectProtocol> | null = null;

/** Where the extracted protos are: $QUIVER_CONNECT_PROTO_DIR, else .spark/connect-proto beside the package. */
export function protoDir(): string {
  if (process.env.QUIVER_CONNECT_PROTO_DIR) return resolve(process.env.QUIVER_CONNECT_PROTO_DIR);
  // src/connect/proto.ts and dist/connect/proto.js are both two levels below the package root.
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.spark', 'connect-proto');
}

export function loadProtocol(): Promise<ConnectProtocol> {
  loaded ??= load().catch((e: unknown) => { loaded = null; throw e; });
  return loaded;
}

async function load(): Promise<ConnectProtocol> {
  const dir = protoDir();
  if (!existsSync(join(dir, 'spark', 'connect', 'base.proto'))) {
    throw new Error(`Spark Connect: the protocol definitions are not at ${dir}; run \`npm run spark:setup\` ` +
      '(it extracts them from Spark\'s connect jar) or set QUIVER_CONNECT_PROTO_DIR to a folder holding spark/connect/*.proto');
  }
  // Optional at run time for local-only users: imported only when a remote session is used.
  const [grpcModule, loader] = await Promise.all([import('@grpc/grpc-js'), import('@grpc/proto-loader')]);
  const options = { keepCase: true, longs: Number, enums: String, defaults: false, oneofs: true, includeDirs: [dir] };
  const def = await loader.load(['spark/connect/base.proto', 'google/rpc/status.proto', 'google/rpc/error_details.proto'], options);
  const pkg = grpcModule.loadPackageDefinition(def) as unknown as { spark: { connect: { SparkConnectService: grpc.ServiceClientConstructor } } };
  // proto-loader gives gRPC's service client but no message codecs; the status details Spark puts
  // in the grpc-status-details-bin trailer (google.rpc.Status holding an ErrorInfo) are decoded
  // with protobufjs, from the same extracted files.
  const protobuf = (await import('protobufjs')).default;
  const root = new protobuf.Root();
  root.resolvePath = (_origin: string, target: string) => (target.startsWith('google/protobuf/') ? target : join(dir, target));
  await root.load(['google/rpc/status.proto', 'google/rpc/error_details.proto'], { keepCase: true });
  const Status = root.lookupType('google.rpc.Status'), ErrorInfo = root.lookupType('google.rpc.ErrorInfo');
  const versionFile = join(dir, 'VERSION');
  return {
    grpc: grpcModule,
    Service: pkg.spark.connect.SparkConnectService,
    decodeStatus: (b) => Status.toObject(Status.decode(b), { defaults: true }) as ReturnType<ConnectProtocol['decodeStatus']>,
    decodeErrorInfo: (b) => ErrorInfo.toObject(ErrorInfo.decode(b), { defaults: true }) as ReturnType<ConnectProtocol['decodeErrorInfo']>,
    sparkVersion: existsSync(versionFile) ? readFileSync(versionFile, 'utf8').split(' ')[0] : 'unknown',
    dir,
  };
}
