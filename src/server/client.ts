/**
 * Per-client state, independent of how commands arrive: network connections, the in-process API
 * and (later) scripts each drive a Client. Handlers receive the Client, as Redis's do: arguments in
 * `argv`, the selected database in `db`, replies through `reply`.
 */
import type { Command } from "../commands/spec.js";
import type { Database } from "../keyspace/database.js";
import type { ReplyWriter } from "../resp/writer.js";
import type { ServerCore } from "./core.js";
import type { TrackingState } from "./tracking.js";

/** A command queued inside MULTI. */
export interface QueuedCommand {
  command: Command;
  argv: string[];
  /** Counts as denyoom (EXEC is refused on OOM): the command's flag, or its script's. */
  denyOom: boolean;
}

/** What a transport (TCP connection, in-process caller) must provide to a client. */
export interface ClientTransport {
  /** Closes the connection after pending replies are written (QUIT, protocol errors, CLIENT KILL). */
  close(afterReply: boolean): void;
  /** Remote address, `ip:port` (CLIENT LIST addr=). */
  readonly remoteAddress: string;
  /** Local address, `ip:port` (CLIENT LIST laddr=). */
  readonly localAddress: string;
  /** Bytes received but not yet parsed (CLIENT LIST qbuf=). */
  readonly queryBufferLength: number;
  /** Bytes of replies not yet written to the socket (CLIENT LIST omem=). */
  readonly outputBufferLength: number;
  /** The socket's file descriptor, when known (CLIENT LIST fd=; -1 otherwise). */
  readonly fd?: number;
  /**
   * Present when the transport can hold a client blocked (BLPOP, BZPOPMIN, XREAD BLOCK...): it
   * stops processing the client's input while {@link Client.blocked} is true. The blocking
   * machinery calls this with the code that may end the block (write the blocked command's
   * reply, then unblock). The transport must run `run` synchronously; if the client is then no
   * longer blocked, it ends the command as usual (CLIENT REPLY modes), sends the reply and resumes
   * processing buffered input. Transports without it never block: blocking commands answer at once
   * as if timed out.
   */
  runUnblocking?(run: () => void): void;
  /**
   * Output was written to this client outside its own command (pub/sub messages, tracking
   * invalidations): the transport sends it soon and enforces `client-output-buffer-limit`.
   */
  pushed?(): void;
}

/** Reply modes set by CLIENT REPLY. */
export type ReplyMode = "on" | "off" | "skip";

export class Client {
  /** Arguments of the command being run; argv[0] is the command name as sent. */
  argv: string[] = [];
  /** The command being run, once resolved. */
  command: Command | null = null;
  /** The last command run (CLIENT LIST cmd=). */
  lastCommand: Command | null = null;
  /** The selected database. */
  db: Database;
  /** Connection name (CLIENT SETNAME); empty when unset. */
  name = "";
  libName = "";
  libVersion = "";
  /** True once AUTH succeeded, or when no password is required. */
  authenticated: boolean;
  /** The ACL user (only `default` exists). */
  user = "default";
  /** Commands queued by MULTI; null outside a transaction. */
  multiQueue: QueuedCommand[] | null = null;
  /** A queued command was rejected: EXEC will abort (CLIENT_DIRTY_EXEC). */
  multiDirty = false;
  /** A WATCHed key was modified: EXEC will fail (CLIENT_DIRTY_CAS). */
  dirtyCas = false;
  /** Keys being WATCHed, with whether each was already logically expired when watched. */
  watched: { db: Database; key: string; expiredWhenWatched: boolean }[] = [];
  /** True while EXEC runs the queued commands (blocking commands must not block then). */
  inExec = false;
  /** The script client (Redis's CLIENT_SCRIPT): it runs the commands of scripts. */
  isScript = false;
  replyMode: ReplyMode = "on";
  /** CLIENT REPLY SKIP applies to the next command; this is set while that command runs. */
  skipThisReply = false;
  noEvict = false;
  noTouch = false;
  /** Set by QUIT, protocol errors and CLIENT KILL: close once replies are written. */
  closing = false;
  /** Unix ms when the connection was made. */
  readonly createdAt: number;
  /** Unix ms of the last command. */
  lastInteraction: number;
  /** Pub/sub channels, patterns and shard channels this client listens to (see `pubsub.ts`). */
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();
  /** Client-side caching state (CLIENT TRACKING); null while tracking is off. */
  tracking: TrackingState | null = null;
  /** The transport behind this client; null for in-process callers. */
  transport: ClientTransport | null = null;
  /**
   * Set while the client is blocked in a command that CLIENT UNBLOCK may end (BLPOP, XREAD...):
   * unblocks it as on timeout, or with `withError` with Redis's -UNBLOCKED error. Null otherwise.
   */
  unblock: ((withError: boolean) => void) | null = null;
  /**
   * Non-null while the client is blocked in a command (set by `server/blocking.ts`); opaque to
   * everything else. The transport processes no input meanwhile.
   */
  blockState: object | null = null;
  /** Client flags as CLIENT LIST shows them, beyond those derived from state. */
  readonly kind: "normal" | "pubsub" = "normal";

  constructor(
    readonly id: number,
    readonly server: ServerCore,
    /** Where replies go; its `resp` is the protocol negotiated by HELLO. */
    public reply: ReplyWriter & { resp: 2 | 3 },
  ) {
    this.db = server.keyspace.databases[0]!;
    this.authenticated = !server.requiresAuth();
    this.createdAt = server.clock.now();
    this.lastInteraction = this.createdAt;
  }

  /** Number of pub/sub channel, pattern and shard-channel subscriptions (RESP2 subscriber mode when > 0). */
  get subscriptionCount(): number {
    return this.channels.size + this.patterns.size + this.shardChannels.size;
  }

  /** The negotiated protocol version. */
  get resp(): 2 | 3 {
    return this.reply.resp;
  }

  /** Leaves MULTI and drops all WATCHes (Redis's discardTransaction). */
  discardTransaction(): void {
    this.multiQueue = null;
    this.multiDirty = false;
    this.dirtyCas = false;
    this.server.watches.unwatchAll(this);
  }

  /** True while blocked in a command (BLPOP...). */
  get blocked(): boolean {
    return this.blockState !== null;
  }

  /** True inside MULTI. */
  get inMulti(): boolean {
    return this.multiQueue !== null;
  }
}
