/**
 * A small client for memcached's meta text protocol (`mg`, `ms`, `md`, `ma`, memcached >= 1.6),
 * one pipelined connection per server.
 *
 * Why by hand: the npm clients (memjs: binary protocol; memcached, memcache-client: the classic
 * text protocol) cannot read an item's remaining TTL, which the cache API needs to rewrite a value
 * under compare-and-swap while keeping its TTL (`keepTTL`, and every CAS-emulated operation
 * such as a signed or float increment). The meta protocol returns value, CAS token and TTL in one
 * `mg`, sets with a CAS condition, mode (add/replace/set/append) and TTL in one `ms`, and takes
 * base64-encoded keys, so keys with spaces or non-ASCII text work. Only that protocol is spoken here.
 *
 * Requests are written at once (several per write when issued in one tick) and answered in order;
 * every request gets exactly one reply (no quiet mode). A broken connection fails the requests in
 * flight with a `connection` error and is re-opened by the next request.
 */
import net from "node:net";
import { DriverError } from "../driver.js";

/** One meta reply: its status code, its flags (`t` → `"-1"`, `c` → `"42"`...) and its value. */
export interface MetaReply {
  /** `HD` (done), `VA` (value follows), `EN` (miss), `NS` (not stored), `EX` (CAS mismatch), `NF` (not found). */
  status: "HD" | "VA" | "EN" | "NS" | "EX" | "NF" | "MN";
  flags: Map<string, string>;
  value: Buffer | undefined;
}

/** Connection settings of one server. */
export interface MemcachedConnectionOptions {
  host: string;
  port: number;
  /** Milliseconds to connect (default 5000). */
  connectTimeout: number;
  /** Milliseconds a request may wait for its reply (0: no limit). */
  commandTimeout: number;
}

interface Pending {
  resolve: (r: MetaReply) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

const CRLF = Buffer.from("\r\n");

/** One server: a lazily (re)connected socket and the queue of requests awaiting replies. */
export class MemcachedConnection {
  private socket: net.Socket | undefined;
  private connecting: Promise<net.Socket> | undefined;
  private readonly pending: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private closed = false;
  readonly address: string;

  constructor(private readonly options: MemcachedConnectionOptions) {
    this.address = options.host.includes(":")
      ? `[${options.host}]:${options.port}`
      : `${options.host}:${options.port}`;
  }

  /** Sends one meta request (`line` without CRLF, plus a data block for `ms`) and awaits its reply. */
  async request(line: string, data?: Buffer): Promise<MetaReply> {
    if (this.closed) throw new DriverError("connection", `memcached ${this.address}: the driver is closed`);
    const socket = this.socket ?? (await this.connect());
    return new Promise<MetaReply>((resolve, reject) => {
      const entry: Pending = { resolve, reject, timer: undefined };
      if (this.options.commandTimeout > 0) {
        entry.timer = setTimeout(() => {
          // The stream's position is unknown now: drop the connection and everything in flight.
          this.fail(
            new DriverError(
              "timeout",
              `no reply from memcached ${this.address} in ${this.options.commandTimeout} ms (commandTimeout)`,
            ),
          );
        }, this.options.commandTimeout);
      }
      this.pending.push(entry);
      socket.write(
        data ? Buffer.concat([Buffer.from(line + "\r\n", "latin1"), data, CRLF]) : line + "\r\n",
        "latin1",
      );
    });
  }

  private connect(): Promise<net.Socket> {
    if (this.connecting) return this.connecting;
    this.connecting = new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect({ host: this.options.host, port: this.options.port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new DriverError(
            "connection",
            `cannot reach memcached ${this.address}: connect timed out after ${this.options.connectTimeout} ms`,
          ),
        );
      }, this.options.connectTimeout);
      socket.once("connect", () => {
        clearTimeout(timer);
        this.socket = socket;
        resolve(socket);
      });
      socket.on("data", (chunk: Buffer) => this.onData(chunk));
      socket.once("error", (e) => {
        clearTimeout(timer);
        const err = new DriverError("connection", `cannot reach memcached ${this.address}: ${e.message}`, {
          cause: e,
        });
        reject(err);
        this.fail(err);
      });
      socket.once("close", () => {
        if (this.socket === socket)
          this.fail(new DriverError("connection", `memcached ${this.address} closed the connection`));
      });
    }).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Fails every request in flight and forgets the socket (the next request reconnects). */
  private fail(err: Error): void {
    const socket = this.socket;
    this.socket = undefined;
    this.buffer = Buffer.alloc(0);
    socket?.destroy();
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(err);
    }
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let pos = 0;
    for (;;) {
      const eol = this.buffer.indexOf(CRLF, pos);
      if (eol < 0) break;
      const line = this.buffer.toString("latin1", pos, eol);
      const parts = line.split(" ");
      const code = parts[0]!;
      let next = eol + 2;
      let value: Buffer | undefined;
      let flagStart = 1;
      if (code === "VA") {
        const size = Number(parts[1]);
        if (this.buffer.length < next + size + 2) break;
        value = this.buffer.subarray(next, next + size);
        next += size + 2;
        flagStart = 2;
      }
      pos = next;
      const p = this.pending.shift();
      if (!p) continue;
      clearTimeout(p.timer);
      if (code === "CLIENT_ERROR" || code === "SERVER_ERROR" || code === "ERROR") {
        p.reject(new MemcachedReplyError(line));
        continue;
      }
      const flags = new Map<string, string>();
      for (const f of parts.slice(flagStart)) if (f !== "") flags.set(f[0]!, f.slice(1));
      p.resolve({ status: code as MetaReply["status"], flags, value });
    }
    this.buffer = pos >= this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(pos);
  }

  /** Closes the connection; requests in flight fail. */
  close(): void {
    this.closed = true;
    this.fail(new DriverError("connection", `memcached ${this.address}: the driver is closed`));
  }
}

/** An error line from memcached (`CLIENT_ERROR ...`, `SERVER_ERROR ...`, `ERROR`). */
export class MemcachedReplyError extends Error {
  constructor(readonly line: string) {
    super(line);
    this.name = "MemcachedReplyError";
  }
}
