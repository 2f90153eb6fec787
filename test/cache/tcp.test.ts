// The cache API suite over TCP: on the embedded server (startServer + a real client) and on a real
// redis-server 7.0, with the same client, so both give the same results.
import { startServer } from "../../src/index.js";
import { startRealRedis } from "../parity/harness.js";
import { IoredisTestDriver } from "./ioredis-driver.js";
import { cacheSuite } from "./suite.js";

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

cacheSuite("embedded TCP", async () => {
  const server = await startServer();
  const driver = IoredisTestDriver.connect(server.port);
  return {
    driver,
    sleep: async (ms) => server.fastForward(ms),
    pttl: async (key) => Number(await driver.client.pttl(key)),
    storeList: async (key, items) => void (await driver.client.rpush(key, ...items)),
    close: () => server.close(),
  };
});

cacheSuite("redis-server", async () => {
  const redis = await startRealRedis();
  const driver = IoredisTestDriver.connect(redis.port);
  return {
    driver,
    sleep: realSleep,
    pttl: async (key) => Number(await driver.client.pttl(key)),
    storeList: async (key, items) => void (await driver.client.rpush(key, ...items)),
    close: () => redis.stop(),
  };
});
