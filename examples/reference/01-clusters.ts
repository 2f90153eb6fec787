// Reference document, "Cache clusters" and "Referencing clusters across services".
import { CacheCluster } from "../../src/cache/index.js";

const cluster = new CacheCluster("my-cache", {
  // EvictionPolicy tells Redis how to evict keys when the cache reaches
  // its memory limit. For typical cache use cases, "allkeys-lru" is a good default.
  evictionPolicy: "allkeys-lru",
});

export { cluster as declared };
