/**
 * Cache clusters: declaration (`new CacheCluster`), references (`CacheCluster.named`), name
 * validation, and how each cluster finds its backend: code configuration, environment variables
 * (`REDDISH_CACHE_URL_<NAME>`, `REDDISH_CACHE_URL`), then a default that depends on `NODE_ENV`.
 */
import { type ClusterInfo, driverScope } from "./context.js";
import {
  type CacheDriver,
  type DriverCapabilities,
  DriverError,
  backendForUrl,
  registeredSchemes,
  urlScheme,
} from "./driver.js";
import { CacheConfigError } from "./errors.js";
import type { KeyPattern } from "./keypattern.js";

/** How Redis chooses keys to evict at its memory limit (Redis `maxmemory-policy`). */
export type EvictionPolicy =
  | "allkeys-lru"
  | "noeviction"
  | "allkeys-lfu"
  | "allkeys-random"
  | "volatile-lru"
  | "volatile-lfu"
  | "volatile-ttl"
  | "volatile-random";

/** The eight eviction policies. */
export const EVICTION_POLICIES: readonly EvictionPolicy[] = [
  "allkeys-lru",
  "noeviction",
  "allkeys-lfu",
  "allkeys-random",
  "volatile-lru",
  "volatile-lfu",
  "volatile-ttl",
  "volatile-random",
];

/** Options of {@link CacheCluster}. */
export interface CacheClusterConfig {
  /** Default `"allkeys-lru"`. Applied to the embedded backend; production servers keep their own setting. */
  evictionPolicy?: EvictionPolicy;
  /**
   * This cluster's backend, from code: a URL (`redis://...`) or a ready driver (e.g.
   * `redisDriver(new Redis(...))` around your own client). `configureCache({ clusters })`
   * overrides it; it overrides the environment variables.
   */
  backend?: string | CacheDriver;
}

/** Options of {@link configureCache}. */
export interface CacheConfiguration {
  /** Backend URL of every cluster without its own (takes precedence over `REDDISH_CACHE_URL`). */
  url?: string;
  /** Backend per cluster name: a URL or a driver instance (e.g. built around your own client). */
  clusters?: Record<string, string | CacheDriver>;
  /** Default `maxmemory` of the embedded backend in development (default `"64mb"`); `"0"` for none. */
  developmentMaxMemory?: string;
}

/** The default `maxmemory` of the embedded server in development, so eviction behaves as in production. */
export const DEFAULT_DEVELOPMENT_MAXMEMORY = "64mb";

const codeConfig: { url?: string; clusters: Map<string, string | CacheDriver>; devMaxMemory: string } = {
  clusters: new Map(),
  devMaxMemory: DEFAULT_DEVELOPMENT_MAXMEMORY,
};

/**
 * Sets backends from code. Precedence per cluster: `clusters[name]` here, then the cluster's
 * own `backend` option, then `REDDISH_CACHE_URL_<NAME>`, then `url` here, then `REDDISH_CACHE_URL`, then the default for
 * `NODE_ENV`. Clusters that already connected keep their driver until {@link closeCache}.
 */
export function configureCache(config: CacheConfiguration): void {
  if (config.url !== undefined) codeConfig.url = config.url;
  for (const [name, backend] of Object.entries(config.clusters ?? {})) codeConfig.clusters.set(name, backend);
  if (config.developmentMaxMemory !== undefined) codeConfig.devMaxMemory = config.developmentMaxMemory;
}

/** The environment variable naming one cluster's backend URL: `REDDISH_CACHE_URL_MY_CACHE` for `my-cache`. */
export function clusterUrlVariable(name: string): string {
  return `REDDISH_CACHE_URL_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** Where a cluster's backend comes from. */
type BackendChoice =
  | { kind: "driver"; driver: CacheDriver; source: string }
  | { kind: "url"; url: string; source: string }
  | { kind: "missing" };

function chooseBackend(name: string, declared?: string | CacheDriver): BackendChoice {
  const own = codeConfig.clusters.get(name) ?? declared;
  if (typeof own === "object") return { kind: "driver", driver: own, source: "configureCache()" };
  if (typeof own === "string") return { kind: "url", url: own, source: "configureCache()" };
  const variable = clusterUrlVariable(name);
  const env = process.env;
  if (env[variable]) return { kind: "url", url: env[variable]!, source: variable };
  if (codeConfig.url) return { kind: "url", url: codeConfig.url, source: "configureCache()" };
  if (env.REDDISH_CACHE_URL) return { kind: "url", url: env.REDDISH_CACHE_URL, source: "REDDISH_CACHE_URL" };
  const mode = env.NODE_ENV ?? "development";
  if (mode === "test") return { kind: "url", url: "memory:", source: "NODE_ENV=test" };
  if (mode === "development" || mode === "")
    return {
      kind: "url",
      url: codeConfig.devMaxMemory === "0" ? "memory:" : `memory:?maxmemory=${codeConfig.devMaxMemory}`,
      source: "development default",
    };
  return { kind: "missing" };
}

/** Shared state of one cluster name (declaration and `named()` references use the same one). */
class ClusterState implements ClusterInfo {
  declared = false;
  evictionPolicy: EvictionPolicy = "allkeys-lru";
  backend: string | CacheDriver | undefined;
  readonly patterns: KeyPattern[] = [];
  driver: CacheDriver | undefined;
  pending: Promise<CacheDriver> | undefined;

  constructor(readonly name: string) {}

  /** Capabilities of the backend this cluster will use, known without connecting when possible. */
  capabilities(): DriverCapabilities | undefined {
    const scope = driverScope.getStore();
    if (scope) return scope.capabilities;
    if (this.driver) return this.driver.capabilities;
    const choice = chooseBackend(this.name, this.backend);
    if (choice.kind === "driver") return choice.driver.capabilities;
    if (choice.kind === "url") return backendForUrl(choice.url)?.capabilities;
    return undefined;
  }

  /** The driver, synchronously when already created (the fast path of every operation). */
  current(): CacheDriver | undefined {
    const scope = driverScope.getStore();
    if (scope) return scope.driverFor(this);
    return this.driver;
  }

  /** Creates (once) the configured driver. */
  connect(): Promise<CacheDriver> {
    const current = this.current();
    if (current) return Promise.resolve(current);
    this.pending ??= this.create().then(
      (d) => (this.driver = d),
      (err: unknown) => {
        this.pending = undefined;
        throw err;
      },
    );
    return this.pending;
  }

  private async create(): Promise<CacheDriver> {
    const choice = chooseBackend(this.name, this.backend);
    if (choice.kind === "driver") return choice.driver;
    if (choice.kind === "missing")
      throw new CacheConfigError(
        `no backend configured for cache cluster "${this.name}" with NODE_ENV=${process.env.NODE_ENV}: ` +
          `set ${clusterUrlVariable(this.name)} or REDDISH_CACHE_URL (e.g. redis://host:6379, rediss://user:pass@host:6380/0, ` +
          `redis+cluster://h1:7000,h2:7001, memcached://h1:11211, or memory: for the embedded server), ` +
          `or call configureCache() from code`,
      );
    const url = choice.url;
    const scheme = urlScheme(url);
    const factory = backendForUrl(url);
    if (!factory)
      throw new CacheConfigError(
        scheme === ""
          ? `cluster "${this.name}": ${choice.source} is not a backend URL: ${JSON.stringify(url)}`
          : `cluster "${this.name}": no backend for URL scheme "${scheme}:" (from ${choice.source}); known schemes: ${registeredSchemes().join(", ")}`,
      );
    try {
      return await factory.create(url, { clusterName: this.name, evictionPolicy: this.evictionPolicy });
    } catch (err) {
      if (err instanceof CacheConfigError) throw err;
      if (err instanceof DriverError) throw err;
      throw new CacheConfigError(
        `cluster "${this.name}": cannot create the ${scheme}: backend (from ${choice.source}): ${String(err)}`,
        {
          cause: err,
        },
      );
    }
  }
}

const clusters = new Map<string, ClusterState>();

const CLUSTER_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

function stateFor(name: string): ClusterState {
  if (typeof name !== "string" || !CLUSTER_NAME.test(name))
    throw new CacheConfigError(
      `invalid cache cluster name ${JSON.stringify(name)}: use kebab-case (lowercase letters and digits, words separated by single '-', starting with a letter)`,
    );
  let state = clusters.get(name);
  if (!state) clusters.set(name, (state = new ClusterState(name)));
  return state;
}

/** A cache cluster: one Redis (or other backend) instance shared by the keyspaces declared on it. */
export class CacheCluster {
  /** @internal */
  readonly state: ClusterState;

  /**
   * Declares the cluster `name` (kebab-case). Declare each cluster once; elsewhere use
   * {@link CacheCluster.named}.
   */
  constructor(name: string, config: CacheClusterConfig = {}) {
    const state = stateFor(name);
    if (state.declared)
      throw new CacheConfigError(
        `cache cluster "${name}" is already declared; to use it from another module or service, reference it with CacheCluster.named("${name}")`,
      );
    const policy = config.evictionPolicy ?? "allkeys-lru";
    if (!EVICTION_POLICIES.includes(policy))
      throw new CacheConfigError(
        `cache cluster "${name}": unknown eviction policy ${JSON.stringify(policy)}; expected one of ${EVICTION_POLICIES.join(", ")}`,
      );
    state.declared = true;
    state.evictionPolicy = policy;
    state.backend = config.backend;
    this.state = state;
  }

  /** A reference to the cluster `name` declared elsewhere (or later) with `new CacheCluster(name)`. */
  static named(name: string): CacheCluster {
    const ref = Object.create(CacheCluster.prototype) as { state: ClusterState };
    ref.state = stateFor(name);
    return ref as CacheCluster;
  }

  /** The cluster's name. */
  get name(): string {
    return this.state.name;
  }

  /** The cluster's eviction policy. */
  get evictionPolicy(): EvictionPolicy {
    return this.state.evictionPolicy;
  }

  /** The backend driver of this cluster, creating it if needed (for advanced uses and tests). */
  driver(): Promise<CacheDriver> {
    return this.state.connect();
  }
}

/** Closes every cluster's driver (connections, embedded servers); the next operation reconnects. */
export async function closeCache(): Promise<void> {
  const drivers = [...clusters.values()].flatMap((s) => {
    const d = s.driver;
    s.driver = undefined;
    s.pending = undefined;
    return d ? [d] : [];
  });
  await Promise.all(drivers.map((d) => d.close()));
}

export type { ClusterState };
