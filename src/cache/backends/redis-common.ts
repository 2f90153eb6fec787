/**
 * What the ioredis-based drivers (./redis.ts, ./redis-cluster.ts) share: error classification,
 * reply normalisation, MULTI/EXEC and closing.
 */
import type { Cluster, Redis } from "ioredis";
import { DriverError, driverErrorFromReply, type DriverArg, type DriverReply } from "../driver.js";

/**
 * The last connection-level error of a client (ioredis emits these as "error" events while it
 * reconnects; a command that gives up only says it reached `maxRetriesPerRequest`). Listening also
 * stops ioredis from logging each one. Cleared once the client is ready again.
 */
export class ConnectionErrors {
  last: Error | undefined;

  /** Starts watching `client` (a client the driver owns: a listener silences ioredis's logging). */
  constructor(client: Redis | Cluster) {
    client.on("error", (e: unknown) => {
      this.last = e instanceof Error ? e : new Error(String(e));
    });
    client.on("ready", () => (this.last = undefined));
  }
}

/**
 * Node's codes for a TLS handshake that failed on the certificate (unknown CA, self-signed, wrong
 * host name, expired...) or the protocol: such errors are reported as TLS errors with a hint.
 */
const TLS_CERT_CODES =
  /^(ERR_TLS_|ERR_SSL_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|CERT_|HOSTNAME_MISMATCH|ERR_OSSL_)/;

/** `err`'s message with its code, and what to check when the code is a TLS certificate failure. */
function describeConnectionError(err: Error, tls: boolean): string {
  const code = (err as { code?: unknown }).code;
  const text =
    typeof code === "string" && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
  if (typeof code === "string" && TLS_CERT_CODES.test(code)) {
    return `TLS handshake failed: ${text}; check the CA the server's certificate is signed by (URL option ca=/path/ca.pem or the tls option), servername, or rejectUnauthorized=false`;
  }
  if (tls && (code === "ECONNRESET" || code === "EPIPE")) {
    return `TLS connection closed by the server: ${text}; if it requires a client certificate, give one (URL options cert= and key=); if it does not speak TLS on this port, use redis://`;
  }
  if (tls && code === "ETIMEDOUT") {
    return `TLS handshake did not complete in time: ${text} (connectTimeout); does the server speak TLS on this port?`;
  }
  return text;
}

/** What a driver's messages say about its server. */
export interface Endpoint {
  /** How messages name the server, e.g. `Redis at 127.0.0.1:6379 (TLS)`. */
  where: string;
  /** Whether connections use TLS (for the hints of connection errors). */
  tls: boolean;
  /** The client's last connection error, which explains a command that gave up reconnecting. */
  errors?: ConnectionErrors;
}

/** Turns whatever ioredis rejected with into a {@link DriverError}. */
export function ioredisError(e: unknown, { where, tls, errors }: Endpoint): DriverError {
  if (e instanceof DriverError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  if (err.name === "ReplyError") return driverErrorFromReply(err.message);
  if (err.message === "Command timed out") {
    return new DriverError("timeout", `no reply from ${where} in time (commandTimeout)`, { cause: err });
  }
  const last = (err as { lastNodeError?: Error }).lastNodeError;
  let detail = last
    ? `${err.message}: ${describeConnectionError(last, tls)}`
    : describeConnectionError(err, tls);
  if (err.name === "MaxRetriesPerRequestError" && errors?.last) {
    detail = `${describeConnectionError(errors.last, tls)} (gave up after maxRetriesPerRequest reconnection attempts)`;
  }
  return new DriverError("connection", `cannot reach ${where}: ${detail}`, { cause: errors?.last ?? err });
}

/** Normalises an ioredis reply (Buffers never occur: replies are decoded as UTF-8 strings). */
export function reply(v: unknown): DriverReply {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number") return v;
  if (Array.isArray(v)) return v.map(reply);
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  return String(v);
}

/** Arguments as ioredis takes them. */
export function toArgs(args: readonly DriverArg[]): [string, (string | number)[]] {
  return [String(args[0]), args.slice(1) as (string | number)[]];
}

/**
 * Runs raw commands in one MULTI/EXEC on `client`; resolves with their replies or rejects with
 * the first one's error (the others have run, as in Redis).
 */
export async function execAtomic(
  client: Redis | Cluster,
  cmds: readonly (readonly DriverArg[])[],
  endpoint: Endpoint,
): Promise<DriverReply[]> {
  let results: [Error | null, unknown][] | null;
  try {
    // ioredis looks commands up by their method names, which are lower case.
    results = await client
      .multi(cmds.map((c) => [String(c[0]).toLowerCase(), ...c.slice(1).map(String)]))
      .exec();
  } catch (e) {
    // EXECABORT: a command was rejected while queued; report that command's own error.
    const previous = (e as { previousErrors?: Error[] }).previousErrors;
    throw ioredisError(previous?.[0] ?? e, endpoint);
  }
  if (results === null) throw new DriverError("other", `${endpoint.where}: transaction aborted`);
  const failed = results.find(([err]) => err !== null);
  if (failed) throw ioredisError(failed[0], endpoint);
  return results.map(([, v]) => reply(v));
}

/** QUIT politely (so the server sees a clean close), then drop the socket whatever happens. */
export async function closeClient(client: Redis | Cluster): Promise<void> {
  if (client.status === "ready") {
    await Promise.race([client.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
  }
  client.disconnect();
}
