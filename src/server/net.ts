/**
 * The network layer: a TCP (or TLS) listener and one Connection per socket. A Connection feeds
 * socket bytes to the request parser, runs each complete request through the dispatcher, and
 * writes all replies produced by one read batch with a single socket write (pipelining).
 * Backpressure: while the socket's write buffer is full, the connection stops reading and parsing
 * (a client that pipelines without reading its replies is paused; others are unaffected).
 */
import net from "node:net";
import tls from "node:tls";
import { ProtocolError, RequestParser } from "../resp/parser.js";
import { RespEncoder } from "../resp/writer.js";
import type { Client, ClientTransport } from "./client.js";
import type { ServerCore } from "./core.js";
import { processCommand } from "./dispatcher.js";

/** Options of {@link NetServer.listen}. */
export interface ListenOptions {
  port: number;
  host: string;
  /** When given, serve TLS with these options instead of plain TCP. */
  tls?: tls.TlsOptions;
  /**
   * With `tls.requestCert` and `rejectUnauthorized: false`: still drop a client whose certificate
   * is presented but not valid (redis.conf's `tls-auth-clients optional`).
   */
  refuseInvalidClientCerts?: boolean;
}

/**
 * Replies buffered past this many bytes are written out mid-batch, and if the socket is then full
 * the rest of the batch waits for 'drain': a client that pipelines without reading holds at most
 * about this much (plus the socket's own buffer) instead of every reply to its requests.
 */
const OUTPUT_FLUSH_BYTES = 256 * 1024;

/** One client connection. */
class Connection implements ClientTransport {
  readonly client: Client;
  private readonly parser = new RequestParser();
  private readonly encoder = new RespEncoder();
  private closed = false;
  /** The socket's write buffer is full: reading and parsing wait for 'drain'. */
  private waitingDrain = false;
  /** socket.end() was called (the client is closing after its replies). */
  private ending = false;
  /** A resumption after an unblock is queued (see runUnblocking). */
  private resumeScheduled = false;
  /** A flush of pushed output (pub/sub messages...) is queued (see pushed). */
  private flushScheduled = false;
  readonly remoteAddress: string;
  readonly localAddress: string;

  constructor(
    private readonly core: ServerCore,
    private readonly socket: net.Socket,
    private readonly owner: NetServer,
  ) {
    this.client = core.createClient(this.encoder);
    this.client.transport = this;
    this.remoteAddress = formatAddress(socket.remoteAddress, socket.remotePort);
    this.localAddress = formatAddress(socket.localAddress, socket.localPort);
    this.parser.unauthenticated = !this.client.authenticated;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("drain", () => this.onDrain());
    socket.on("error", () => this.destroy());
    socket.on("close", () => this.destroy());
  }

  get queryBufferLength(): number {
    return this.parser.pendingBytes;
  }
  get outputBufferLength(): number {
    return this.socket.writableLength + this.encoder.pendingLength;
  }
  /** The socket's file descriptor (CLIENT LIST fd=); -1 when Node does not expose it (TLS). */
  get fd(): number {
    const handle = (this.socket as unknown as { _handle?: { fd?: unknown } })._handle;
    return typeof handle?.fd === "number" ? handle.fd : -1;
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.client.closing) return;
    this.core.stats.totalNetInputBytes += chunk.length;
    this.parser.maxBulkLen = this.core.config.hot.protoMaxBulkLen;
    this.parser.feed(chunk);
    this.processInput();
    this.flush();
  }

  private onDrain(): void {
    if (this.closed || !this.waitingDrain) return;
    this.waitingDrain = false;
    // Requests parked while the socket was full run now, then reading resumes.
    this.processInput();
    this.flush();
    if (!this.waitingDrain && !this.closed && !this.client.closing) this.socket.resume();
  }

  /**
   * Runs every complete request in the input buffer (until the socket's write buffer fills, or a
   * command blocks the client: the rest stays buffered until it is unblocked).
   */
  private processInput(): void {
    const client = this.client;
    const encoder = this.encoder;
    while (!client.closing && !this.closed && !client.blocked) {
      if (encoder.pendingLength >= OUTPUT_FLUSH_BYTES) this.flush();
      if (this.waitingDrain) return;
      let argv: string[] | null;
      try {
        this.parser.unauthenticated = !client.authenticated;
        argv = this.parser.next();
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        encoder.error(e.message);
        this.core.countError(e.message);
        this.close(true);
        return;
      }
      if (argv === null) return;
      if (argv.length === 0) continue;
      client.argv = argv;
      const mark = encoder.pendingLength;
      try {
        processCommand(client);
      } catch (e) {
        // A bug in a command must not take the whole process (often the user's test runner) down.
        encoder.truncate(mark);
        const text = e instanceof Error ? e.message : String(e);
        const message = `ERR internal error in '${argv[0]}': ${text}`.replace(/[\r\n]/g, " ");
        encoder.error(message);
        this.core.countError(message);
        process.emitWarning(e instanceof Error ? e : new Error(text), "ReddishInternalError");
      }
      // A blocked command ends later, when runUnblocking() sees its reply written.
      if (client.blocked) return;
      this.endCommand(mark);
    }
  }

  /**
   * The end of a command whose output starts at `mark`. CLIENT REPLY OFF/SKIP: a command's output
   * is dropped if replies are still off (or its reply still skipped) when it ends. CLIENT REPLY ON
   * and RESET switch them on first, so their own reply is sent, as in Redis.
   */
  private endCommand(mark: number): void {
    const client = this.client;
    if (client.replyMode !== "on" || client.skipThisReply) this.encoder.truncate(mark);
    client.skipThisReply = false;
    if (client.replyMode === "skip") {
      client.replyMode = "on";
      client.skipThisReply = true;
    }
  }

  /**
   * Runs code that may end this client's block (see ClientTransport.runUnblocking). Once unblocked,
   * the blocked command ends here; its reply is sent and buffered requests are processed right
   * after the current work (like Redis's processUnblockedClients in beforeSleep).
   */
  runUnblocking(run: () => void): void {
    const mark = this.encoder.pendingLength;
    run();
    if (this.client.blocked || this.closed) return;
    this.endCommand(mark);
    if (this.resumeScheduled) return;
    this.resumeScheduled = true;
    queueMicrotask(() => {
      this.resumeScheduled = false;
      if (this.closed) return;
      if (!this.waitingDrain) this.processInput();
      this.flush();
    });
  }

  /**
   * Output was written outside this client's command (see ClientTransport.pushed): it is flushed
   * after the current work, so that a publisher's whole batch reaches each subscriber in one
   * write. A client over its output buffer limit is disconnected at once, as in Redis.
   */
  pushed(): void {
    if (this.closed) return;
    if (this.core.outputLimits.exceeded(this.client, this.outputBufferLength, this.core.clock.now())) {
      this.core.stats.outputLimitDisconnections++;
      this.close(false);
      return;
    }
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      if (!this.closed) this.flush();
    });
  }

  /**
   * Writes all pending replies in one socket write; when the socket's buffer is full, stops reading
   * until 'drain'. A closing client's socket is ended after the write and released once flushed.
   */
  flush(): void {
    const out = this.encoder.take();
    if (out && !this.socket.destroyed) {
      this.core.stats.totalNetOutputBytes += out.length;
      if (!this.socket.write(out) && !this.waitingDrain) {
        this.waitingDrain = true;
        this.socket.pause();
      }
    }
    if (this.client.closing && !this.closed && !this.ending) {
      this.ending = true;
      // Like Redis, free the client as soon as its last reply is written, without waiting for the
      // peer to close its side.
      this.socket.end(() => this.destroy());
    }
  }

  close(afterReply: boolean): void {
    this.client.closing = true;
    if (!afterReply) {
      this.socket.destroy();
      this.destroy();
    } else {
      // The caller's batch is flushed, then the socket ends (see flush()).
      queueMicrotask(() => this.flush());
    }
  }

  /** Releases the client's resources once the socket is gone. */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.closing = true;
    this.owner.connections.delete(this);
    this.core.removeClient(this.client);
    if (!this.socket.destroyed) this.socket.destroy();
  }
}

function formatAddress(address: string | undefined, port: number | undefined): string {
  const host = address?.startsWith("::ffff:") ? address.slice(7) : (address ?? "?");
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A listening socket serving a ServerCore. */
export class NetServer {
  readonly connections = new Set<Connection>();
  private server: net.Server | null = null;

  constructor(private readonly core: ServerCore) {}

  /** Starts listening; resolves with the bound port. */
  listen(options: ListenOptions): Promise<number> {
    const onSocket = (socket: net.Socket) => {
      if (options.refuseInvalidClientCerts && socket instanceof tls.TLSSocket && !socket.authorized) {
        if (Object.keys(socket.getPeerCertificate()).length > 0) {
          socket.destroy();
          return;
        }
      }
      const max = this.core.config.getNumber("maxclients");
      if (this.core.clients.size >= max) {
        this.core.stats.rejectedConnections++;
        socket.end("-ERR max number of clients reached\r\n");
        return;
      }
      this.connections.add(new Connection(this.core, socket, this));
    };
    const server = options.tls
      ? tls.createServer(options.tls, onSocket)
      : net.createServer({ noDelay: true }, onSocket);
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host, () => {
        server.off("error", reject);
        const address = server.address();
        resolve(typeof address === "object" && address ? address.port : options.port);
      });
    });
  }

  /** Stops accepting, closes every connection, resolves when the listener is closed. */
  close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const c of this.connections) c.destroy();
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
