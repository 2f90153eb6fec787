/**
 * What the ioredis-based drivers (./redis.ts, ./redis-cluster.ts) share: error classification,
 * reply normalisation, MULTI/EXEC and closing.
 */
import type { Cluster, Redis } from "ioredis";
import { DriverError, driverErrorFromReply, type DriverArg, type DriverReply } from "../driver.js";

/** Turns whatever ioredis rejected with into a {@link DriverError}. */
export function ioredisError(e: unknown, where: string): DriverError {
  if (e instanceof DriverError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  if (err.name === "ReplyError") return driverErrorFromReply(err.message);
  if (err.message === "Command timed out") {
    return new DriverError("timeout", `no reply from ${where} in time (commandTimeout)`, { cause: err });
  }
  const last = (err as { lastNodeError?: Error }).lastNodeError;
  const detail = last ? `${err.message}: ${last.message}` : err.message;
  return new DriverError("connection", `cannot reach ${where}: ${detail}`, { cause: err });
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
  where: string,
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
    throw ioredisError(previous?.[0] ?? e, where);
  }
  if (results === null) throw new DriverError("other", `${where}: transaction aborted`);
  const failed = results.find(([err]) => err !== null);
  if (failed) throw ioredisError(failed[0], where);
  return results.map(([, v]) => reply(v));
}

/** QUIT politely (so the server sees a clean close), then drop the socket whatever happens. */
export async function closeClient(client: Redis | Cluster): Promise<void> {
  if (client.status === "ready") {
    await Promise.race([client.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
  }
  client.disconnect();
}
