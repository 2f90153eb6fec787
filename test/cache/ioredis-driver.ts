/**
 * A minimal test-only driver on ioredis, so the API suite and the benchmark can run over TCP
 * (embedded server and real redis-server) on this branch. The production Redis backend
 * (`src/cache/backends/redis.ts`) is a separate piece of work; this one is deliberately small.
 */
import { Redis } from "ioredis";
import {
  type DriverArg,
  type DriverReply,
  DriverError,
  RedisCommandDriver,
  driverErrorFromReply,
} from "../../src/cache/index.js";

function mapError(err: unknown): DriverError {
  if (err instanceof DriverError) return err;
  const e = err as { name?: string; message?: string };
  // ioredis names server error replies ReplyError (v5) or SimpleError (v6).
  if (e && (e.name === "ReplyError" || e.name === "SimpleError") && typeof e.message === "string")
    return driverErrorFromReply(e.message);
  return new DriverError("connection", String(e?.message ?? err), { cause: err });
}

function normalize(reply: unknown): DriverReply {
  if (reply === null || typeof reply === "string" || typeof reply === "number") return reply;
  if (Array.isArray(reply)) return reply.map(normalize);
  if (Buffer.isBuffer(reply)) return reply.toString("utf8");
  return String(reply);
}

/** A {@link RedisCommandDriver} over one ioredis connection (auto-pipelined). */
export class IoredisTestDriver extends RedisCommandDriver {
  readonly name = "redis";
  constructor(readonly client: Redis) {
    super();
  }
  static connect(port: number, host = "127.0.0.1"): IoredisTestDriver {
    return new IoredisTestDriver(new Redis({ port, host, enableAutoPipelining: true, lazyConnect: false }));
  }
  protected async send(args: readonly DriverArg[]): Promise<DriverReply> {
    try {
      const [name, ...rest] = args;
      return normalize(await this.client.call(String(name), ...rest.map(String)));
    } catch (err) {
      throw mapError(err);
    }
  }
  protected async sendAtomic(cmds: readonly (readonly DriverArg[])[]): Promise<DriverReply[]> {
    let results: [Error | null, unknown][] | null;
    try {
      results = await this.client.multi(cmds.map((c) => ["call", ...c.map(String)])).exec();
    } catch (err) {
      throw mapError(err);
    }
    if (!results) throw new DriverError("other", "transaction aborted");
    const failed = results.find(([e]) => e);
    if (failed) throw mapError(failed[0]);
    return results.map(([, r]) => normalize(r));
  }
  async close(): Promise<void> {
    this.client.disconnect();
  }
}
