/**
 * reddish: a Redis-compatible server that runs inside your Node.js process.
 *
 * @example
 * ```ts
 * import { startServer } from "reddish";
 * const server = await startServer({ clock: "manual" });
 * // connect any Redis client to server.url
 * server.db().set("greeting", "hello", { ex: 10 });
 * server.fastForward(10_000); // the key is gone
 * await server.close();
 * ```
 * @packageDocumentation
 */
export {
  startServer,
  EmbeddedDb,
  type StartServerOptions,
  type ReddishServer,
  type SetOptions,
  type Arg,
} from "./server/embedded.js";
export { ManualClock, SystemClock, type Clock, type ControllableClock } from "./keyspace/clock.js";
export { ReplyError, ReplyMap, StatusReply, type ReplyValue } from "./resp/collector.js";
