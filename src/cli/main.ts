#!/usr/bin/env node
/**
 * `reddish-server`: runs reddish standalone, like redis-server. Prints one ready line with the
 * address; stops cleanly on SIGINT/SIGTERM.
 */
import { readFileSync } from "node:fs";
import { startServer } from "../server/embedded.js";
import { NetServer } from "../server/net.js";
import { parseCliArgs } from "./options.js";
import { tlsListenerOptions, type TlsListenerOptions } from "./tls.js";

const USAGE = `Usage: reddish-server [/path/to/redis.conf] [--option value ...]

Examples:
  reddish-server                         listen on 127.0.0.1:6379
  reddish-server --port 6380 --requirepass secret
  reddish-server --bind 0.0.0.0 --databases 4 --maxmemory 100mb
  reddish-server /etc/redis/redis.conf --save ''

Any redis.conf parameter reddish knows is accepted as --name value.
TLS: --tls-port N --tls-cert-file cert.pem --tls-key-file key.pem --tls-ca-cert-file ca.pem
     [--tls-auth-clients yes|optional|no] [--port 0 to serve TLS only]`;

async function main(): Promise<void> {
  let options;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`reddish-server: ${(e as Error).message}\n`);
    process.exit(1);
  }
  if (options.help) {
    process.stdout.write(USAGE + "\n");
    return;
  }
  if (options.version) {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    process.stdout.write(`reddish-server v=${pkg.version} (Redis 7.0 compatible)\n`);
    return;
  }
  const config: Record<string, string> = { "enable-debug-command": "no", ...options.config };
  const host = (config.bind ?? "127.0.0.1").split(" ")[0]!;
  // As in redis-server: `port` (default 6379) is the plain listener and `tls-port` the TLS one;
  // 0 turns a listener off. Where redis-server would refuse to listen nowhere, `--port 0` alone
  // picks a free port instead (printed in the ready line): handy for scripts and tests.
  const port = Number(config.port ?? 6379);
  const tlsPort = Number(config["tls-port"] ?? 0);
  const plain = port !== 0 || tlsPort === 0;
  let tls: TlsListenerOptions | undefined;
  let server;
  let tlsNet: NetServer | undefined;
  const urls: string[] = [];
  const at = (scheme: string, p: number) => `${scheme}://${host.includes(":") ? `[${host}]` : host}:${p}`;
  try {
    if (tlsPort !== 0) tls = tlsListenerOptions(config);
    server = await startServer({ configFile: options.configFile, port, host, config, listen: plain });
    if (plain) urls.push(server.url);
    if (tls) {
      tlsNet = new NetServer(server.core);
      urls.push(at("rediss", await tlsNet.listen({ port: tlsPort, host, ...tls })));
    }
  } catch (e) {
    process.stderr.write(`reddish-server: could not start: ${(e as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`reddish ready to accept connections at ${urls.join(" and ")}\n`);
  const running = server;
  const stop = () => void Promise.all([tlsNet?.close(), running.close()]);
  // SHUTDOWN from a client, or a signal: exit once every connection is closed.
  void server.closed.then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
