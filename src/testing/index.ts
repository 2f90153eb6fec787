/**
 * `reddish/testing`: per-test isolation of the typed cache and a manual clock, for node:test,
 * vitest and jest. Wrap the framework's `test` (or `it`) once per file:
 *
 * ```ts
 * import { test as base } from "node:test";            // or vitest's / jest's test
 * import { isolatedTest, cacheClock } from "reddish/testing";
 * const test = isolatedTest(base);
 * test("counts", async () => {
 *   await counter.increment("a");
 *   cacheClock().advance(10_000); // TTLs run down
 * });
 * ```
 *
 * Inside each test every cache cluster is served by its own fresh embedded server (in process,
 * no sockets) with a manual clock, through AsyncLocalStorage, so tests running concurrently in
 * one worker never see each other's keys. Creating the servers of one test costs a fraction of a
 * millisecond (`npm run bench` measures it) and they need no cleanup.
 */
import { InProcessDriver } from "../cache/backends/embedded.js";
import { type ClusterInfo, type DriverScope, driverScope } from "../cache/context.js";
import type { CacheDriver, DriverCapabilities } from "../cache/driver.js";
import { CacheError } from "../cache/errors.js";
import { ALL_COMMANDS } from "../commands/index.js";
import { CommandTable } from "../commands/registry.js";
import { ManualClock } from "../keyspace/clock.js";
import { ServerCore } from "../server/core.js";

let sharedCommands: CommandTable | undefined;

/** The time of an isolated cache: starts at the real time when the test starts, moves only when told. */
export interface CacheTestClock {
  /** Current time (Unix ms). */
  now(): number;
  /** Moves time forward by `ms` milliseconds: TTLs run down, keys past their expiry are gone. */
  advance(ms: number): void;
  /** Same as {@link advance}. */
  fastForward(ms: number): void;
  /** Sets the current time (not backwards). */
  setTime(time: Date | number): void;
}

/** Options of an isolated cache. */
export interface IsolationOptions {
  /** Start time of the manual clock; default: now. */
  startTime?: Date | number;
  /** Redis configuration of the embedded servers, e.g. `{ maxmemory: "1mb" }`. */
  config?: Record<string, string>;
}

/** One test's private cache: a fresh embedded server per cluster, all on one manual clock. */
export class CacheIsolation implements DriverScope {
  readonly capabilities: DriverCapabilities = { lists: true, sets: true };
  private readonly manual: ManualClock;
  private readonly drivers = new Map<string, InProcessDriver>();
  /** The manual clock shared by this test's servers. */
  readonly clock: CacheTestClock;

  constructor(private readonly options: IsolationOptions = {}) {
    this.manual = new ManualClock(options.startTime ?? Date.now());
    const m = this.manual;
    this.clock = {
      now: () => m.now(),
      advance: (ms) => m.fastForward(ms),
      fastForward: (ms) => m.fastForward(ms),
      setTime: (t) => m.setTime(t),
    };
  }

  /** The embedded driver of `cluster` in this test (created on first use). */
  driverFor(cluster: ClusterInfo): CacheDriver {
    let d = this.drivers.get(cluster.name);
    if (!d) {
      sharedCommands ??= new CommandTable(ALL_COMMANDS);
      const core = new ServerCore({
        clock: this.manual,
        commands: sharedCommands,
        config: { "maxmemory-policy": cluster.evictionPolicy, ...this.options.config },
      });
      // No cron: with a manual clock, lazy expiry on access is all a test can observe.
      d = new InProcessDriver(core);
      this.drivers.set(cluster.name, d);
    }
    return d;
  }

  /** Names of the clusters this test used. */
  get clusters(): string[] {
    return [...this.drivers.keys()];
  }

  /** Empties every cluster of this test. */
  flush(): void {
    for (const d of this.drivers.values()) d.run(["FLUSHALL"]);
  }

  /** Runs `fn` with this isolation active (also for everything `fn` starts asynchronously). */
  run<R>(fn: () => R): R {
    return driverScope.run(this, fn);
  }
}

/** Runs `fn` with a fresh isolated cache, passed as its argument. */
export function withIsolatedCache<R>(fn: (cache: CacheIsolation) => R, options?: IsolationOptions): R {
  const isolation = new CacheIsolation(options);
  return isolation.run(() => fn(isolation));
}

/** The isolated cache of the running test; throws outside one. */
export function currentCacheIsolation(): CacheIsolation {
  const scope = driverScope.getStore();
  if (!(scope instanceof CacheIsolation))
    throw new CacheError(
      "not inside an isolated cache test: register the test with isolatedTest(test) or run it in withIsolatedCache()",
    );
  return scope;
}

/** The manual clock of the running test's cache. */
export function cacheClock(): CacheTestClock {
  return currentCacheIsolation().clock;
}

/** Wraps a function so that each call runs in a fresh isolated cache. */
export function isolate<A extends unknown[], R>(
  fn: (...args: A) => R,
  options?: IsolationOptions,
): (...args: A) => R {
  const wrapped = function (this: unknown, ...args: A): R {
    return new CacheIsolation(options).run(() => fn.apply(this, args));
  };
  // Frameworks look at the declared parameter count (jest/mocha: `done` callbacks; vitest fixtures).
  Object.defineProperty(wrapped, "length", { value: fn.length });
  return wrapped;
}

type AnyFunction = (...args: never[]) => unknown;

/**
 * Wraps a test framework's `test` or `it` (node:test, vitest, jest) so that the body of every
 * test it registers runs in a fresh isolated cache. Modifiers keep working: `test.skip`,
 * `test.only`, `test.concurrent`, `test.each(table)(name, fn)`...
 */
export function isolatedTest<T extends AnyFunction>(test: T, options?: IsolationOptions): T {
  const cache = new WeakMap<object, unknown>();
  const wrap = <F>(target: F): F => {
    if (typeof target !== "function") return target;
    const hit = cache.get(target);
    if (hit) return hit as F;
    const proxy = new Proxy(target, {
      apply(fn, thisArg, args: unknown[]) {
        const mapped = args.map((a) =>
          typeof a === "function" ? isolate(a as (...x: unknown[]) => unknown, options) : a,
        );
        return wrap(Reflect.apply(fn, thisArg, mapped));
      },
      get(obj, prop, receiver) {
        const value: unknown = Reflect.get(obj, prop, receiver);
        return typeof value === "function" &&
          prop !== "constructor" &&
          prop !== "bind" &&
          prop !== "call" &&
          prop !== "apply"
          ? wrap(value)
          : value;
      },
    });
    cache.set(target, proxy);
    return proxy;
  };
  return wrap(test);
}
