// Reference document, "Referencing clusters across services".
import { CacheCluster, StringKeyspace } from "../../src/cache/index.js";

// Reference a cluster defined in another service
const cluster = CacheCluster.named("my-cache");

const sessions = new StringKeyspace<{ sessionId: string }>(cluster, {
  keyPattern: "session/:sessionId",
});

export { sessions };
