// The gRPC side of a remote session: one channel to a Spark Connect server, one Spark session id,
// and the three calls the DataFrame API needs — ExecutePlan (Arrow batches streamed back),
// AnalyzePlan (schema, Spark version) and ReleaseSession — with Spark's errors translated.
import { randomUUID } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import { RecordBatchReader, type RecordBatch } from 'apache-arrow';
import { fromErrorInfo, fromFetched, SparkConnectError, type FetchedError, type GrpcFailure } from './errors.js';
import { loadProtocol, type ConnectProtocol } from './proto.js';
import type { ConnectionSpec } from './url.js';

/** A protobuf message as plain object, in Spark's field names (proto-loader, keepCase). */
export type Message = Record<string, unknown>;

const CLIENT_TYPE = 'quiver';
/** How long the first call may take to reach the server before it is called unreachable. */
const CONNECT_TIMEOUT_MS = 15_000;
/** AnalyzePlan answers from the driver without running jobs; a bound keeps a lost server from hanging us. */
const ANALYZE_TIMEOUT_MS = 120_000;

type Unary = (req: Message, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: Message) => void) => void;
type Streaming = (req: Message, md: grpc.Metadata) => grpc.ClientReadableStream<Message>;

export class SparkConnectClient {
  readonly sessionId: string;
  private closed = false;

  private constructor(readonly spec: ConnectionSpec, private readonly proto: ConnectProtocol, private readonly stub: grpc.Client) {
    this.sessionId = spec.sessionId ?? randomUUID();
  }

  /** Opens the channel and checks that a Spark Connect server answers (bounded by CONNECT_TIMEOUT_MS). */
  static async connect(spec: ConnectionSpec): Promise<SparkConnectClient> {
    const proto = await loadProtocol();
    const g = proto.grpc;
    let creds = spec.useSsl ? g.credentials.createSsl() : g.credentials.createInsecure();
    if (spec.token !== undefined) {
      const token = spec.token;
      creds = g.credentials.combineChannelCredentials(creds, g.credentials.createFromMetadataGenerator((_p, cb) => {
        const md = new g.Metadata(); md.set('authorization', `Bearer ${token}`); cb(null, md);
      }));
    }
    const options: grpc.ChannelOptions = {
      'grpc.primary_user_agent': spec.userAgent ?? CLIENT_TYPE,
      // Spark's Arrow batches reach 128 MiB by default (spark.connect.grpc.maxInboundMessageSize).
      'grpc.max_receive_message_length': 256 * 1024 * 1024,
      'grpc.max_send_message_length': 256 * 1024 * 1024,
    };
    const client = new SparkConnectClient(spec, proto, new proto.Service(`${spec.host}:${spec.port}`, creds, options));
    await client.sparkVersion(CONNECT_TIMEOUT_MS);
    return client;
  }

  get address(): string { return `${this.spec.host}:${this.spec.port}`; }

  /** The server's Spark version (AnalyzePlan.spark_version). */
  async sparkVersion(timeoutMs = ANALYZE_TIMEOUT_MS): Promise<string> {
    const res = await this.unary('AnalyzePlan', { ...this.header(), spark_version: {} }, timeoutMs);
    return (res.spark_version as { version: string }).version;
  }

  /** The schema of a plan, as Spark's DataType message (a struct). */
  async schema(plan: Message): Promise<Message> {
    const res = await this.unary('AnalyzePlan', { ...this.header(), schema: { plan } });
    return (res.schema as { schema: Message }).schema;
  }

  /** Sets Spark SQL settings of this session on the server (Config.set). */
  async setConf(pairs: Readonly<Record<string, string>>): Promise<void> {
    const kv = Object.entries(pairs).map(([key, value]) => ({ key, value }));
    if (kv.length) await this.unary('Config', { ...this.header(), operation: { set: { pairs: kv } } });
  }

  /** The settings' values on the server, undefined where unset (Config.get_option). */
  async getConf(keys: readonly string[]): Promise<(string | undefined)[]> {
    const res = await this.unary('Config', { ...this.header(), operation: { get_option: { keys } } });
    return ((res.pairs ?? []) as { key: string; value?: string }[]).map((p) => p.value);
  }

  /** Runs a plan and returns Spark's result batches, decoded from their Arrow IPC streams. */
  async execute(plan: Message): Promise<RecordBatch[]> {
    this.checkOpen();
    const request = { ...this.header(), operation_id: randomUUID(), plan };
    const call = (this.stub as unknown as Record<string, Streaming>).ExecutePlan.call(this.stub, request, this.metadata());
    const batches: RecordBatch[] = [];
    try {
      await new Promise<void>((resolveDone, reject) => {
        call.on('data', (res: Message) => {
          const arrow = res.arrow_batch as { data?: Buffer } | undefined;
          if (!arrow?.data?.length) return;
          try {
            for (const batch of RecordBatchReader.from(arrow.data)) batches.push(batch);
          } catch (e) { reject(e); call.cancel(); }
        });
        call.on('error', reject);
        call.on('end', () => resolveDone());
      });
    } catch (e) {
      throw await this.translate(e);
    }
    return batches;
  }

  /** Releases the server-side session (Spark frees its state and cached data) and closes the channel. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.unary('ReleaseSession', { session_id: this.sessionId, user_context: this.userContext(), client_type: CLIENT_TYPE }, 10_000);
    } catch { /* the server may be gone already; the channel is closed either way */ }
    this.closed = true;
    this.stub.close();
  }

  private header(): Message {
    return { session_id: this.sessionId, user_context: this.userContext(), client_type: CLIENT_TYPE };
  }

  private userContext(): Message { return { user_id: this.spec.userId ?? process.env.USER ?? 'quiver' }; }

  private metadata(): grpc.Metadata {
    const md = new this.proto.grpc.Metadata();
    for (const [k, v] of Object.entries(this.spec.headers)) md.set(k, v);
    return md;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`Spark Connect session ${this.sessionId} at ${this.address} was stopped`);
  }

  private async unary(method: string, request: Message, timeoutMs = ANALYZE_TIMEOUT_MS, translate = true): Promise<Message> {
    if (method !== 'ReleaseSession') this.checkOpen();
    const fn = (this.stub as unknown as Record<string, Unary>)[method];
    try {
      return await new Promise<Message>((resolveCall, reject) => {
        fn.call(this.stub, request, this.metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolveCall(res)));
      });
    } catch (e) {
      throw translate ? await this.translate(e) : e;
    }
  }

  /** A gRPC failure as a SparkConnectError: Spark's error class and message, or what kept us from the server. */
  private async translate(e: unknown): Promise<Error> {
    if (e instanceof SparkConnectError || !(e instanceof Error) || typeof (e as GrpcFailure).code !== 'number') return e as Error;
    const failure = e as GrpcFailure;
    const status = this.proto.grpc.status;
    const statusName = status[failure.code!] ?? String(failure.code);
    const raw = failure.metadata?.get('grpc-status-details-bin')[0];
    if (!raw) {
      const unreachable = failure.code === status.UNAVAILABLE || failure.code === status.DEADLINE_EXCEEDED;
      const what = unreachable ? `cannot reach the Spark Connect server at ${this.address}` : `the Spark Connect server at ${this.address} failed the call`;
      return new SparkConnectError(`${what} (${statusName}: ${failure.details || failure.message})`, {
        messageParameters: {}, exceptionClasses: [], queryContexts: [], grpcStatus: statusName,
      });
    }
    const decoded = this.proto.decodeStatus(raw as Buffer);
    const infoAny = decoded.details.find((d) => d.type_url.endsWith('google.rpc.ErrorInfo'));
    const info = infoAny ? this.proto.decodeErrorInfo(infoAny.value) : null;
    const errorId = info?.metadata.errorId;
    if (errorId) {
      try {
        const res = await this.unary('FetchErrorDetails', { ...this.header(), error_id: errorId }, 30_000, false);
        const errors = (res.errors ?? []) as FetchedError[];
        const root = errors[(res.root_error_idx as number | undefined) ?? 0];
        if (root) return fromFetched(root, statusName);
      } catch { /* fall back on what the status itself says */ }
    }
    return fromErrorInfo(info, decoded.message || failure.details || '', statusName);
  }
}
