/**
 * Real servers for the backend tests, started on loopback by the tests themselves and removed
 * afterwards: a standalone redis-server, a 3-master Redis Cluster (`redis-cli --cluster create`),
 * a master watched by a Sentinel, and memcached. Each start waits until the server answers (the
 * cluster until every node reports `cluster_state:ok`); each `stop()` kills the processes and
 * removes their temporary directories. A process exit hook kills whatever a failed test left.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import tls from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REDIS_SERVER = process.env.REDIS_SERVER ?? "redis-server";
const REDIS_CLI = process.env.REDIS_CLI ?? "redis-cli";
const MEMCACHED = process.env.MEMCACHED ?? "memcached";
const OPENSSL = process.env.OPENSSL ?? "openssl";

const children = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of children) c.kill("SIGKILL");
});

/** A running server (or group of servers) started by the tests. */
export interface TestServer {
  /** The URL the cache API connects with (e.g. `redis://127.0.0.1:PORT`). */
  url: string;
  /** The loopback ports in use (a cluster's masters, or the sentinel then the master). */
  ports: number[];
  stop(): Promise<void>;
}

/** Whether `bin` can be executed (for skipping a backend whose server is not installed). */
export function installed(bin: "redis" | "memcached"): boolean {
  const path = bin === "redis" ? REDIS_SERVER : MEMCACHED;
  const flag = bin === "redis" ? "--version" : "-V";
  return !spawnSync(path, [flag], { stdio: "ignore" }).error;
}

/** Throwaway TLS material (PEM files in one temporary directory), see {@link makeTlsFiles}. */
export interface TlsFiles {
  dir: string;
  /** The CA that signed both certificates below. */
  ca: string;
  /** The server's certificate, for 127.0.0.1 and localhost, and its key. */
  serverCert: string;
  serverKey: string;
  /** A client certificate (for servers that require one), and its key. */
  clientCert: string;
  clientKey: string;
  /** A CA that signed nothing here (the wrong CA). */
  otherCa: string;
  remove(): void;
}

/** Whether the `openssl` command-line tool can be run. */
export function opensslInstalled(): boolean {
  return !spawnSync(OPENSSL, ["version"], { stdio: "ignore" }).error;
}

/**
 * Makes a CA, a server certificate for 127.0.0.1/localhost and a client certificate signed by it,
 * and an unrelated CA, with the openssl CLI (P-256 keys: fast to generate), valid for one day.
 */
export function makeTlsFiles(): TlsFiles {
  const dir = mkdtempSync(join(tmpdir(), "reddish-cache-tls-"));
  const at = (name: string) => join(dir, name);
  const run = (args: string[]) => {
    const r = spawnSync(OPENSSL, args, { cwd: dir, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${r.error ?? r.stderr}`);
  };
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  try {
    for (const ca of ["ca", "other-ca"]) {
      run([
        "req",
        "-x509",
        ...ec,
        "-keyout",
        `${ca}.key`,
        "-out",
        `${ca}.crt`,
        "-days",
        "1",
        "-subj",
        `/CN=reddish test ${ca}`,
      ]);
    }
    writeFileSync(at("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    writeFileSync(at("client.ext"), "extendedKeyUsage=clientAuth\n");
    for (const [name, cn] of [
      ["server", "localhost"],
      ["client", "reddish test client"],
    ] as const) {
      run(["req", "-new", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`]);
      run([
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        `${name}.ext`,
        "-out",
        `${name}.crt`,
      ]);
    }
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    dir,
    ca: at("ca.crt"),
    serverCert: at("server.crt"),
    serverKey: at("server.key"),
    clientCert: at("client.crt"),
    clientKey: at("client.key"),
    otherCa: at("other-ca.crt"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/**
 * A free loopback port. With `busOffset`, the port `+ busOffset` is free too (a cluster node
 * also listens on its port + 10000 for the cluster bus).
 */
export async function freePort(busOffset = 0): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 35000);
    if ((await canBind(port)) && (busOffset === 0 || (await canBind(port + busOffset)))) return port;
  }
  throw new Error("no free loopback port found");
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Sends one inline command and resolves with the raw reply text (until `done` accepts it); over
 * TLS when given the CA that signed the server's certificate.
 */
function ask(port: number, command: string, done: (text: string) => boolean, ca?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = ca
      ? tls.connect({ port, host: "127.0.0.1", ca: readFileSync(ca) })
      : net.connect(port, "127.0.0.1");
    let text = "";
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no reply to ${command} on port ${port}`));
    }, 2000);
    s.once(ca ? "secureConnect" : "connect", () => s.write(command + "\r\n"));
    s.on("data", (d) => {
      text += d.toString("latin1");
      if (done(text)) {
        clearTimeout(timer);
        s.destroy();
        resolve(text);
      }
    });
    s.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** Polls `check` every 50 ms until it returns true (errors count as false) or `ms` pass. */
async function waitFor(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function launch(bin: string, args: string[]): ChildProcess {
  const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  child.once("exit", (code) => {
    children.delete(child);
    if (code !== null && code !== 0 && stderr !== "") process.stderr.write(`${bin}: ${stderr}`);
  });
  children.add(child);
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
}

function redisArgs(port: number, dir: string, extra: string[] = []): string[] {
  return [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
    "--logfile",
    "",
    "--loglevel",
    "warning",
    ...extra,
  ];
}

/**
 * A redis-server on a free port; with `tls`, that port is a TLS port (`--tls-port N --port 0`),
 * client certificates optional (`--tls-auth-clients no`; CONFIG SET can require them).
 */
async function startRedisProcess(dir: string, extra: string[] = [], busOffset = 0, tls?: TlsFiles) {
  const port = await freePort(busOffset);
  const args = tls
    ? redisArgs(0, dir, [
        "--tls-port",
        String(port),
        "--tls-cert-file",
        tls.serverCert,
        "--tls-key-file",
        tls.serverKey,
        "--tls-ca-cert-file",
        tls.ca,
        "--tls-auth-clients",
        "no",
        ...extra,
      ])
    : redisArgs(port, dir, extra);
  const child = launch(REDIS_SERVER, args);
  await waitFor(`redis-server on port ${port}`, 10_000, async () => {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode})`);
    // With --requirepass the server answers -NOAUTH: it is up all the same.
    return /^(\+PONG|-NOAUTH)/.test(await ask(port, "PING", (t) => t.endsWith("\r\n"), tls?.ca));
  });
  return { port, child };
}

/** A standalone redis-server (extra arguments e.g. `--requirepass`); with `tls`, on a TLS port only. */
export async function startRedis(extra: string[] = [], tls?: TlsFiles): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "reddish-cache-redis-"));
  const { port, child } = await startRedisProcess(dir, extra, 0, tls);
  return {
    url: `${tls ? "rediss" : "redis"}://127.0.0.1:${port}`,
    ports: [port],
    async stop() {
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A Redis Cluster of `masters` masters (no replicas) on loopback, created with
 * `redis-cli --cluster create`, ready when every node reports `cluster_state:ok`.
 */
export async function startRedisCluster(masters = 3): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "reddish-cache-cluster-"));
  const nodes: { port: number; child: ChildProcess }[] = [];
  try {
    for (let i = 0; i < masters; i++) {
      nodes.push(
        await startRedisProcess(
          dir,
          [
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            join(dir, `nodes-${i}.conf`),
            "--cluster-node-timeout",
            "5000",
          ],
          10000,
        ),
      );
    }
    const addrs = nodes.map((n) => `127.0.0.1:${n.port}`);
    const created = spawnSync(
      REDIS_CLI,
      ["--cluster", "create", ...addrs, "--cluster-replicas", "0", "--cluster-yes"],
      { encoding: "utf8", timeout: 30_000 },
    );
    if (created.status !== 0) {
      throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    }
    for (const n of nodes) {
      await waitFor(`cluster_state:ok on ${n.port}`, 20_000, async () => {
        const info = await ask(n.port, "CLUSTER INFO", (t) => t.includes("cluster_stats_messages"));
        return info.includes("cluster_state:ok");
      });
    }
  } catch (e) {
    await Promise.all(nodes.map((n) => kill(n.child)));
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `redis+cluster://${nodes.map((n) => `127.0.0.1:${n.port}`).join(",")}`,
    ports: nodes.map((n) => n.port),
    async stop() {
      await Promise.all(nodes.map((n) => kill(n.child)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Options of {@link startRedisSentinel}. */
export interface SentinelOptions {
  /** Replicas of the master (`--replicaof`), online before the Sentinel starts. Default 0. */
  replicas?: number;
  /** The Sentinel's `down-after-milliseconds` (default 5000) and `failover-timeout` (default 60000). */
  downAfterMs?: number;
  failoverTimeoutMs?: number;
}

/**
 * A redis-server master, its replicas, and one Sentinel (`redis-server <conf> --sentinel`)
 * monitoring it under the name `masterName` with quorum 1 (one Sentinel is a majority of one, so
 * it can fail over alone). Ready when the Sentinel reports the master's address and knows every
 * replica as a healthy replica. `ports`: the Sentinel, the master, then the replicas; `kill(port)`
 * kills one of the Redis processes (SIGKILL), as a crash would.
 */
export async function startRedisSentinel(
  masterName = "mymaster",
  options: SentinelOptions = {},
): Promise<TestServer & { kill(port: number): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "reddish-cache-sentinel-"));
  const redis: { port: number; child: ChildProcess }[] = [];
  let sentinel: ChildProcess | undefined;
  let port = 0;
  const stop = async () => {
    await Promise.all([...(sentinel ? [kill(sentinel)] : []), ...redis.map((r) => kill(r.child))]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // No wait before a diskless full sync (Redis waits 5 s by default for more replicas); any
    // replica may become a master.
    const noDelay = ["--repl-diskless-sync-delay", "0"];
    redis.push(await startRedisProcess(dir, noDelay));
    const master = redis[0]!;
    for (let i = 0; i < (options.replicas ?? 0); i++) {
      redis.push(await startRedisProcess(dir, [...noDelay, "--replicaof", "127.0.0.1", String(master.port)]));
    }
    const replicas = redis.length - 1;
    await waitFor(`${replicas} replicas online`, 10_000, async () => {
      const info = await ask(master.port, "INFO replication", (t) => t.includes("master_repl_offset"));
      return (info.match(/state=online/g) ?? []).length === replicas;
    });
    port = await freePort();
    const conf = join(dir, "sentinel.conf");
    writeFileSync(
      conf,
      [
        `port ${port}`,
        "bind 127.0.0.1",
        `dir ${dir}`,
        `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 1`,
        `sentinel down-after-milliseconds ${masterName} ${options.downAfterMs ?? 5000}`,
        `sentinel failover-timeout ${masterName} ${options.failoverTimeoutMs ?? 60_000}`,
        "",
      ].join("\n"),
    );
    const started = launch(REDIS_SERVER, [conf, "--sentinel", "--loglevel", "warning"]);
    sentinel = started;
    await waitFor(`sentinel on port ${port}`, 10_000, async () => {
      if (started.exitCode !== null) throw new Error(`sentinel exited (${started.exitCode})`);
      const reply = await ask(
        port,
        `SENTINEL get-master-addr-by-name ${masterName}`,
        (t) => t.startsWith("*-1") || t.split("\r\n").length >= 5,
      );
      if (!reply.includes(String(master.port))) return false;
      if (replicas === 0) return true;
      // Each replica listed with the flags `slave` alone (not down, not disconnected).
      const listed = await ask(
        port,
        `SENTINEL replicas ${masterName}`,
        (t) => redis.slice(1).every((r) => t.includes(String(r.port))) && t.endsWith("\r\n"),
      );
      return (listed.match(/flags\r\n\$5\r\nslave\r\n/g) ?? []).length === replicas;
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url: `redis+sentinel://127.0.0.1:${port}/${masterName}`,
    ports: [port, ...redis.map((r) => r.port)],
    stop,
    async kill(port: number) {
      const node = redis.find((r) => r.port === port);
      if (!node) throw new Error(`no redis-server of this Sentinel setup on port ${port}`);
      await kill(node.child);
    },
  };
}

/** One memcached per requested server (`memcached -p PORT -l 127.0.0.1`), as one `memcached://` URL. */
export async function startMemcached(servers = 1, extra: string[] = []): Promise<TestServer> {
  const procs: { port: number; child: ChildProcess }[] = [];
  // memcached refuses to run as root without naming the user to run as (CI runs as root).
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0 ? ["-u", "root"] : [];
  try {
    for (let i = 0; i < servers; i++) {
      const port = await freePort();
      const child = launch(MEMCACHED, [
        "-p",
        String(port),
        "-l",
        "127.0.0.1",
        "-U",
        "0",
        ...asRoot,
        ...extra,
      ]);
      procs.push({ port, child });
      await waitFor(`memcached on port ${port}`, 10_000, async () => {
        if (child.exitCode !== null) throw new Error(`memcached exited (${child.exitCode})`);
        return (await ask(port, "version", (t) => t.endsWith("\r\n"))).startsWith("VERSION");
      });
    }
  } catch (e) {
    await Promise.all(procs.map((p) => kill(p.child)));
    throw e;
  }
  return {
    url: `memcached://${procs.map((p) => `127.0.0.1:${p.port}`).join(",")}`,
    ports: procs.map((p) => p.port),
    async stop() {
      await Promise.all(procs.map((p) => kill(p.child)));
    },
  };
}
