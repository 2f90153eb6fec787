/**
 * The hook through which the testing helpers give each test its own backend: while a scope is
 * active (AsyncLocalStorage, so tests running concurrently in one worker each see their own),
 * clusters ask it for their driver instead of using their configured one.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { CacheDriver, DriverCapabilities } from "./driver.js";

/** What a cluster tells a scope about itself. */
export interface ClusterInfo {
  readonly name: string;
  readonly evictionPolicy: string;
}

/** A source of drivers that overrides the configured backends while active. */
export interface DriverScope {
  /** The driver serving `cluster` in this scope. */
  driverFor(cluster: ClusterInfo): CacheDriver;
  /** Capabilities of the drivers this scope creates. */
  readonly capabilities: DriverCapabilities;
}

/** The active scope, if any. */
export const driverScope = new AsyncLocalStorage<DriverScope>();
