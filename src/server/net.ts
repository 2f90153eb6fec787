/**
 * The network layer: a TCP (or TLS) listener and one Connection per socket. A Connection feeds
 * socket bytes to the request parser, runs each complete request through the dispatcher, and
 * writes all replies produced by one read batch with a single socket write (pipelining).
 * Backpressure: while the socket's write buffer is full, the connection stops reading.
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
}

/** One client connection. */
class Connection implements ClientTransport {
  readonly client: Client;
  private readonly parser = new RequestParser();
  private readonly encoder = new RespEncoder();
  private closed = false;
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
    socket.on("drain", () => {
      if (!this.closed) socket.resume();
    });
    socket.on("error", () => this.destroy());
    socket.on("close", () => this.destroy());
  }

  get queryBufferLength(): number {
    return this.parser.pendingBytes;
  }
  get outputBufferLength(): number {
    return this.socket.writableLength + this.encoder.pendingLength;
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.client.closing) return;
    this.core.stats.totalNetInputBytes += chunk.length;
    this.parser.maxBulkLen = this.core.config.getNumber("proto-max-bulk-len");
    this.parser.feed(chunk);
    this.processInput();
    this.flush();
  }

  /** Runs every complete request in the input buffer. */
  private processInput(): void {
    const client = this.client;
    while (!client.closing && !this.closed) {
      let argv: string[] | null;
      try {
        this.parser.unauthenticated = !client.authenticated;
        argv = this.parser.next();
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        this.encoder.error(e.message);
        this.core.countError(e.message);
        this.close(true);
        return;
      }
      if (argv === null) return;
      if (argv.length === 0) continue;
      client.argv = argv;
      const mark = this.encoder.pendingLength;
      const silenced = client.replyMode === "off" || client.skipThisReply;
      client.skipThisReply = false;
      processCommand(client);
      if (silenced || client.replyMode !== "on") this.encoder.truncate(mark);
      if (client.replyMode === "skip") {
        client.replyMode = "on";
        client.skipThisReply = true;
      }
    }
  }

  /** Writes all pending replies in one socket write; pauses reading while the socket is full. */
  flush(): void {
    const out = this.encoder.take();
    if (out && !this.socket.destroyed) {
      this.core.stats.totalNetOutputBytes += out.length;
      if (!this.socket.write(out)) this.socket.pause();
    }
    if (this.client.closing && !this.closed) this.socket.end();
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
