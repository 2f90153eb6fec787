// The cache API suite on the embedded backend, in process (no sockets), with a manual clock.
import { InProcessDriver, createEmbeddedCore } from "../../src/cache/index.js";
import { ManualClock } from "../../src/keyspace/clock.js";
import { cacheSuite } from "./suite.js";

cacheSuite("embedded in-process", async () => {
  const clock = new ManualClock(Date.now());
  const core = createEmbeddedCore({ clock });
  const driver = new InProcessDriver(core, 0, () => core.stopCron());
  return {
    driver,
    sleep: async (ms) => clock.fastForward(ms),
    pttl: async (key) => Number(driver.run(["PTTL", key])),
    storeList: async (key, items) => void driver.run(["RPUSH", key, ...items]),
  };
});
