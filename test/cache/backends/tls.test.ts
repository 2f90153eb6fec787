/**
 * `rediss://`: the Redis driver over TLS, with a throwaway CA and certificates made by the openssl
 * CLI, against redis-server's TLS port (`--tls-port N --port 0`) and against reddish's own TLS
 * listener (embedded `startServer({ tls })` and the `reddish-server --tls-port` CLI, which
 * redis-cli --tls must reach). Wrong CAs, missing client certificates and TLS/plain mix-ups must
 * fail soon with connection errors that name TLS, never hang.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { redisDriver, type IoredisDriver } from "../../../src/cache/backends/redis.js";
import {
  CacheCluster,
  CacheConfigError,
  CacheConnectionError,
  StringKeyspace,
  closeCache,
  configureCache,
} from "../../../src/cache/index.js";
import type { CacheDriver, DriverError, DriverErrorKind } from "../../../src/cache/driver.js";
import { startServer, type ReddishServer } from "../../../src/server/embedded.js";
import { driverSuite, prefix, rejectsKind } from "./driver-suite.js";
import {
  freePort,
  installed,
  makeTlsFiles,
  opensslInstalled,
  startRedis,
  type TestServer,
  type TlsFiles,
} from "./servers.js";

const noOpenssl = opensslInstalled() ? false : "the openssl CLI is not installed";
const skipRedis = noOpenssl || (installed("redis") ? false : "redis-server is not installed");

/** `url` with query options, file paths percent-encoded. */
function withParams(url: string, params: Record<string, string>): string {
  const query = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return `${url}?${query.join("&")}`;
}

/** {@link rejectsKind}, within 5 s: a failure must not hang until some far-off timeout. */
async function rejectsSoon(
  p: Promise<unknown>,
  kind: DriverErrorKind,
  message?: RegExp,
): Promise<DriverError> {
  const started = Date.now();
  const e = await rejectsKind(p, kind, message);
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  return e;
}

describe("rediss:// against redis-server's TLS port", { skip: skipRedis }, () => {
  let files: TlsFiles;
  let server: TestServer;
  let driver: CacheDriver;
  let raw: Redis;
  let port: number;
  before(async () => {
    files = makeTlsFiles();
    server = await startRedis([], files);
    port = server.ports[0]!;
    driver = redisDriver(withParams(server.url, { ca: files.ca }));
    raw = new Redis({ port, host: "127.0.0.1", tls: { ca: readFileSync(files.ca) } });
  });
  after(async () => {
    await driver?.close();
    raw?.disconnect();
    await server?.stop();
    files?.remove();
  });

  driverSuite({ driver: () => driver, ttl: (k) => raw.pttl(k), collections: true, ttlResolutionMs: 100 });

  test("the CA can be given in code instead (the tls option), and localhost is a valid name", async () => {
    const d = redisDriver(`rediss://localhost:${port}`, { tls: { ca: readFileSync(files.ca) } });
    const k = prefix() + "code";
    await d.set(k, "v", { expiry: { kind: "unset" } });
    assert.equal(await raw.get(k), "v");
    await d.close();
  });

  test("a wrong CA, or none, fails soon with a connection error naming TLS and the CA", async () => {
    for (const url of [withParams(server.url, { ca: files.otherCa }), server.url]) {
      const d = redisDriver(url);
      const e = await rejectsSoon(
        d.get("k"),
        "connection",
        /^cannot reach Redis at 127\.0\.0\.1:\d+ \(TLS\): TLS handshake failed: self-signed certificate in certificate chain \(SELF_SIGNED_CERT_IN_CHAIN\); check the CA/,
      );
      assert.match(e.message, /ca=\/path\/ca\.pem/);
      await d.close();
    }
    // A certificate for other names than the one connected to.
    const d = redisDriver(withParams(server.url, { ca: files.ca, servername: "example.com" }));
    await rejectsSoon(d.get("k"), "connection", /TLS handshake failed: Hostname\/IP/);
    await d.close();
  });

  test("the cache API reports a wrong CA as a CacheConnectionError", async () => {
    configureCache({ clusters: { "tls-wrong-ca": withParams(server.url, { ca: files.otherCa }) } });
    const ks = new StringKeyspace<{ id: string }>(new CacheCluster("tls-wrong-ca"), { keyPattern: "k/:id" });
    await assert.rejects(ks.get({ id: "a" }), (e: Error) => {
      assert.ok(e instanceof CacheConnectionError, String(e));
      assert.match(
        e.message,
        /^cache: cannot reach Redis at .* \(TLS\): TLS handshake failed: .*\(get "k\/a"\)$/,
      );
      return true;
    });
    await closeCache();
  });

  test("rejectUnauthorized=false skips verification", async () => {
    const d = redisDriver(withParams(server.url, { rejectUnauthorized: "false" }));
    assert.equal(await d.get(prefix() + "none"), null);
    await d.close();
  });

  test("a client certificate when the server requires one (tls-auth-clients yes)", async () => {
    await raw.config("SET", "tls-auth-clients", "yes");
    try {
      const d = redisDriver(
        withParams(server.url, { ca: files.ca, cert: files.clientCert, key: files.clientKey }),
      );
      const k = prefix() + "mtls";
      await d.set(k, "with a client certificate", { expiry: { kind: "unset" } });
      assert.equal(await d.get(k), "with a client certificate");
      await d.close();
      const without = redisDriver(withParams(server.url, { ca: files.ca }));
      const e = await rejectsSoon(without.get(k), "connection", /TLS/);
      assert.match(e.message, /client certificate|certificate required/);
      await without.close();
    } finally {
      await raw.config("SET", "tls-auth-clients", "no");
    }
  });

  test("redis:// to a TLS port and rediss:// to a plain port fail soon, naming TLS", async () => {
    const plainToTls = redisDriver(`redis://127.0.0.1:${port}?connectTimeout=1000`);
    await rejectsSoon(plainToTls.get("k"), "connection", /cannot reach Redis/);
    await plainToTls.close();
    const plain = await startRedis();
    try {
      // A plain redis-server reads the TLS hello as an unfinished inline command: only the
      // connect timeout ends the handshake.
      const tlsToPlain = redisDriver(
        withParams(plain.url.replace("redis:", "rediss:"), { connectTimeout: "300" }),
      );
      await rejectsSoon(
        tlsToPlain.get("k"),
        "connection",
        /\(TLS\): TLS handshake did not complete in time.*does the server speak TLS on this port/,
      );
      await tlsToPlain.close();
    } finally {
      await plain.stop();
    }
  });

  test("unreadable CA or certificate files are configuration errors naming the option", () => {
    assert.throws(
      () => redisDriver(withParams(server.url, { ca: "/nonexistent/ca.pem" })),
      (e: Error) =>
        e instanceof CacheConfigError && /cannot read ca=\/nonexistent\/ca\.pem: ENOENT/.test(e.message),
    );
    assert.throws(
      () => redisDriver(withParams(server.url, { cert: "/nonexistent/c.pem" })),
      /cannot read cert=/,
    );
  });
});

describe("TLS options reach ioredis", { skip: noOpenssl }, () => {
  let files: TlsFiles;
  before(() => {
    files = makeTlsFiles();
  });
  after(() => files?.remove());

  test("Sentinel: tls=true for the master and replicas, sentinelTls=true for the sentinels", async () => {
    const ca = readFileSync(files.ca);
    const options = async (url: string) => {
      const d = redisDriver(url) as IoredisDriver;
      const o = d.client.options;
      await d.close();
      return { master: o.enableTLSForSentinelMode ? o.tls : undefined, sentinels: o.sentinelTLS };
    };
    const base = `redis+sentinel://127.0.0.1:1/m?connectTimeout=100&ca=${encodeURIComponent(files.ca)}`;
    assert.deepEqual(await options(base), { master: undefined, sentinels: undefined });
    assert.deepEqual(await options(`${base}&tls=true`), { master: { ca }, sentinels: undefined });
    assert.deepEqual(await options(`${base}&sentinelTls=true`), { master: undefined, sentinels: { ca } });
    assert.deepEqual(await options(`${base}&tls=true&sentinelTls=true&servername=cache`), {
      master: { ca, servername: "cache" },
      sentinels: { ca, servername: "cache" },
    });
  });
});

describe("rediss:// against reddish's own TLS listener", { skip: noOpenssl }, () => {
  let files: TlsFiles;
  let server: ReddishServer;
  let driver: CacheDriver;
  before(async () => {
    files = makeTlsFiles();
    server = await startServer({
      tls: { cert: readFileSync(files.serverCert), key: readFileSync(files.serverKey) },
    });
    driver = redisDriver(withParams(server.url, { ca: files.ca }));
  });
  after(async () => {
    await driver?.close();
    await server?.close();
    files?.remove();
  });

  test("the embedded server's URL is rediss://", () => {
    assert.match(server.url, /^rediss:\/\/127\.0\.0\.1:\d+$/);
  });

  driverSuite({
    driver: () => driver,
    ttl: async (k) => Number(server.command("PTTL", k)),
    collections: true,
    ttlResolutionMs: 100,
  });

  test("a wrong CA is a connection error naming TLS", async () => {
    const d = redisDriver(withParams(server.url, { ca: files.otherCa }));
    await rejectsSoon(d.get("k"), "connection", /\(TLS\): TLS handshake failed/);
    await d.close();
  });
});

const CLI = fileURLToPath(new URL("../../../src/cli/main.js", import.meta.url));
const noRedisCli =
  noOpenssl ||
  (spawnSync("redis-cli", ["--version"], { stdio: "ignore" }).error ? "redis-cli is not installed" : false);

/**
 * Starts `reddish-server` with `args`; resolves with the process once it prints its ready line
 * (killed if it does not within 10 s; the caller kills it afterwards).
 */
function startCli(args: string[]): Promise<{ child: ChildProcess; ready: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (!out.includes("\n")) return;
      clearTimeout(timer);
      resolve({ child, ready: out.trim() });
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`reddish-server exited (${code}): ${err}`));
    });
  });
}

/** Runs redis-cli with `args`; its output (stdout and stderr) and exit status. */
function redisCli(args: string[]): { out: string; status: number | null } {
  const r = spawnSync("redis-cli", args, { encoding: "utf8", timeout: 5000 });
  return { out: (r.stdout + r.stderr).trim(), status: r.status };
}

describe("reddish-server --tls-port (redis-cli --tls)", { skip: noRedisCli }, () => {
  let files: TlsFiles;
  before(() => {
    files = makeTlsFiles();
  });
  after(() => files?.remove());
  /** The listeners and the server's certificate, key and CA. */
  const serverArgs = (port: number, tlsPort: number) => [
    ...["--port", String(port), "--tls-port", String(tlsPort)],
    ...[
      "--tls-cert-file",
      files.serverCert,
      "--tls-key-file",
      files.serverKey,
      "--tls-ca-cert-file",
      files.ca,
    ],
  ];

  test("TLS and plain listeners side by side; client certificates required by default", async () => {
    const [plainPort, tlsPort] = [await freePort(), await freePort()];
    const { child, ready } = await startCli(serverArgs(plainPort, tlsPort));
    try {
      assert.equal(
        ready,
        `reddish ready to accept connections at redis://127.0.0.1:${plainPort} and rediss://127.0.0.1:${tlsPort}`,
      );
      const tlsArgs = ["--tls", "--cacert", files.ca, "-p", String(tlsPort)];
      const withCert = ["--cert", files.clientCert, "--key", files.clientKey];
      assert.deepEqual(redisCli([...tlsArgs, ...withCert, "SET", "k", "over tls"]), { out: "OK", status: 0 });
      // The same keyspace behind both listeners.
      assert.deepEqual(redisCli(["-p", String(plainPort), "GET", "k"]), { out: "over tls", status: 0 });
      // tls-auth-clients yes (the default): no client certificate, no connection.
      assert.notEqual(redisCli([...tlsArgs, "PING"]).out, "PONG");
      assert.notEqual(
        redisCli(["--tls", "--cacert", files.otherCa, "-p", String(tlsPort), "PING"]).out,
        "PONG",
      );
    } finally {
      child.kill("SIGKILL");
    }
  });

  test("--port 0 serves TLS only; tls-auth-clients no and optional", async () => {
    for (const auth of ["no", "optional"]) {
      const tlsPort = await freePort();
      const { child, ready } = await startCli([...serverArgs(0, tlsPort), "--tls-auth-clients", auth]);
      try {
        assert.equal(ready, `reddish ready to accept connections at rediss://127.0.0.1:${tlsPort}`);
        const tlsArgs = ["--tls", "--cacert", files.ca, "-p", String(tlsPort)];
        assert.deepEqual(redisCli([...tlsArgs, "PING"]), { out: "PONG", status: 0 }, auth);
        // ioredis through the cache driver, as an application would connect.
        const d = redisDriver(withParams(`rediss://127.0.0.1:${tlsPort}`, { ca: files.ca }));
        await d.set("k", auth, { expiry: { kind: "unset" } });
        assert.equal(await d.get("k"), auth);
        await d.close();
      } finally {
        child.kill("SIGKILL");
      }
    }
  });

  test("TLS without a CA while client certificates are required is refused, as by redis-server", async () => {
    const tlsPort = await freePort();
    await assert.rejects(
      startCli([
        "--tls-port",
        String(tlsPort),
        "--tls-cert-file",
        files.serverCert,
        "--tls-key-file",
        files.serverKey,
      ]),
      /Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!/,
    );
  });
});
