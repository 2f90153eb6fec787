/**
 * The cache API's shared suite (test/cache/suite.ts) on the production backends, each selected
 * by its URL through the normal configuration path: a real redis-server (`redis://`), a real
 * 3-master Redis Cluster (`redis+cluster://`), a master behind a Sentinel (`redis+sentinel://`),
 * redis-server's TLS port (`rediss://...?ca=/path/ca.pem`, a throwaway CA made by openssl) and
 * three memcached servers (`memcached://`, String/Int/Float/Struct keyspaces; list and set
 * keyspaces must be rejected at construction). Servers start once per backend.
 */
import { before, after } from "node:test";
import { readFileSync } from "node:fs";
import { Cluster, Redis } from "ioredis";
import { memcachedDriver, type MemcachedDriver } from "../../../src/cache/backends/memcached.js";
import { runCacheSuite } from "../suite.js";
import {
  installed,
  makeTlsFiles,
  opensslInstalled,
  startMemcached,
  startRedis,
  startRedisCluster,
  startRedisSentinel,
  type TestServer,
} from "./servers.js";

/** A backend's servers and a raw client beside the driver, for TTL reads and wrong-type setup. */
interface Started {
  server: TestServer;
  raw: Redis | Cluster | MemcachedDriver;
}

/**
 * Starts `start()` in a `before` hook (and `client`, which reads TTLs: a raw Redis client, or a
 * second memcached driver) and registers the suite on its URL; the suite reads the URL
 * only once its cases begin, after the hook.
 */
function suiteOn(
  name: string,
  start: () => Promise<TestServer>,
  client: (s: TestServer) => Redis | Cluster | MemcachedDriver,
  ttlResolutionMs: number,
  redisLike = true,
): void {
  let started: Started | undefined;
  before(async () => {
    const server = await start();
    started = { server, raw: client(server) };
  });
  after(async () => {
    const raw = started?.raw;
    if (raw instanceof Redis || raw instanceof Cluster) raw.disconnect();
    else await raw?.close();
    await started?.server.stop();
  });
  const raw = () => started?.raw;
  runCacheSuite({
    name,
    get url() {
      if (!started) throw new Error(`${name}: the server did not start`);
      return started.server.url;
    },
    ttlResolutionMs,
    pttl: (key) => raw()!.pttl(key),
    // A list behind the API's back provokes the wrong-type case (Redis backends only).
    ...(redisLike
      ? {
          storeList: async (key: string, items: string[]) => {
            await (raw() as Redis | Cluster).rpush(key, ...items);
          },
        }
      : {}),
  });
}

if (installed("redis")) {
  suiteOn(
    "redis:// (ioredis driver, real redis-server)",
    () => startRedis(),
    (s) => new Redis(s.ports[0]!, "127.0.0.1"),
    100,
  );
  if (opensslInstalled()) {
    let ca = "";
    suiteOn(
      "rediss:// (real redis-server, TLS port, CA given in the URL)",
      async () => {
        const files = makeTlsFiles();
        const server = await startRedis([], files).catch((e: unknown) => {
          files.remove();
          throw e;
        });
        ca = files.ca;
        return {
          ...server,
          url: `${server.url}?ca=${encodeURIComponent(files.ca)}`,
          async stop() {
            await server.stop();
            files.remove();
          },
        };
      },
      (s) => new Redis({ port: s.ports[0]!, host: "127.0.0.1", tls: { ca: readFileSync(ca) } }),
      100,
    );
  }
  suiteOn(
    "redis+cluster:// (real 3-master Redis Cluster)",
    () => startRedisCluster(3),
    (s) => new Cluster(s.ports.map((port) => ({ host: "127.0.0.1", port }))),
    100,
  );
  suiteOn(
    "redis+sentinel:// (real master and Sentinel)",
    () => startRedisSentinel(),
    (s) => new Redis(s.ports[1]!, "127.0.0.1"),
    100,
  );
}
if (installed("memcached")) {
  suiteOn(
    "memcached:// (three real memcached servers)",
    () => startMemcached(3),
    (s) => memcachedDriver(s.url),
    1000,
    false,
  );
}
