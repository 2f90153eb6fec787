/**
 * The Redis Cluster backend (`redis+cluster://h1:p1,h2:p2`), on ioredis's `Cluster` (which keeps
 * the slot map, follows MOVED/ASK redirections and auto-pipelines per node).
 *
 * Redis Cluster runs a multi-key command only when all its keys hash to one slot. Where the result
 * can be put together from per-slot parts, this driver splits the command per slot: `mget`
 * (multiGet), `del` (delete of several keys) and `mset` (multiSet: one MULTI/EXEC per slot, so it
 * is atomic per slot only). Where it cannot (SDIFF/SINTER/SUNION and their STORE forms, SMOVE,
 * LMOVE, transactions over several keys), keys in different slots fail before anything is sent,
 * with a `cross-slot` error that names the keys and explains hash tags.
 */
import calculateSlot from "cluster-key-slot";
import type { Cluster } from "ioredis";
import {
  DriverError,
  RedisCommandDriver,
  commandKeys,
  type DriverArg,
  type DriverCapabilities,
  type DriverCommand,
  type DriverExpiry,
  type DriverReply,
} from "../driver.js";
import { closeClient, execAtomic, ioredisError, reply, type Endpoint } from "./redis-common.js";

/** Capabilities of the Cluster backend: everything, but multi-key operations are per slot. */
export const CLUSTER_CAPABILITIES: DriverCapabilities = {
  lists: true,
  sets: true,
  crossSlotRestricted: true,
};

/** Groups `keys` by hash slot: slot → indexes into `keys`. */
function bySlot(keys: readonly string[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  keys.forEach((key, i) => {
    const slot = calculateSlot(key);
    const group = groups.get(slot);
    if (group) group.push(i);
    else groups.set(slot, [i]);
  });
  return groups;
}

/** The error for an operation whose keys live in different slots. */
export function crossSlotError(operation: string, keys: readonly string[]): DriverError {
  const slots = keys.map((k) => `"${k}" (slot ${calculateSlot(k)})`);
  return new DriverError(
    "cross-slot",
    `${operation} needs all its keys in one Redis Cluster hash slot, but ${slots.join(", ")} are not: ` +
      `give the keys a common hash tag, e.g. key patterns "{:userId}/tags" and "{:userId}/seen" (Redis ` +
      `hashes only the text between the first "{" and the next "}", so those keys share a slot)`,
  );
}

/** Throws {@link crossSlotError} unless all `keys` share a slot. */
function sameSlot(operation: string, keys: readonly string[]): void {
  if (keys.length < 2) return;
  const first = calculateSlot(keys[0]!);
  if (keys.some((k) => calculateSlot(k) !== first)) throw crossSlotError(operation, keys);
}

/**
 * Failures of auto-pipelined commands after a resharding, which ioredis (6.0.0) does not retry
 * itself; the driver refreshes the slot map and sends the command again (none of them ran):
 * - "All keys in the pipeline ...": ioredis's two slot maps disagree (a transaction redirected by
 *   MOVED updates its slot → node map but not its slot → node group map, Pipeline.js), so
 *   commands for different slots queued in one tick (a split `mget`) are refused;
 * - a MOVED/ASK reply inside a batch where another command wrote: ioredis retries a redirected
 *   batch only when nothing in it has written, and otherwise passes the redirection on.
 */
const STALE_SLOTS =
  /^(All keys in the pipeline should belong to the same slots allocation group$|MOVED |ASK )/;

/** A cache driver on an ioredis `Cluster`. */
export class IoredisClusterDriver extends RedisCommandDriver {
  readonly name = "redis-cluster";
  override readonly capabilities = CLUSTER_CAPABILITIES;

  constructor(
    readonly client: Cluster,
    private readonly endpoint: Endpoint,
    private readonly owned: boolean,
  ) {
    super();
  }

  protected async send(args: readonly DriverArg[]): Promise<DriverReply> {
    try {
      const call = () => this.client.call(String(args[0]), args.slice(1) as (string | number)[]);
      return reply(await this.withFreshSlots(call));
    } catch (e) {
      throw ioredisError(e, this.endpoint);
    }
  }

  protected sendAtomic(cmds: readonly (readonly DriverArg[])[]): Promise<DriverReply[]> {
    return execAtomic(this.client, cmds, this.endpoint);
  }

  /** Runs `run`; on a stale slot map ({@link STALE_SLOTS}), refreshes it and runs it again (3 times at most). */
  private async withFreshSlots<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (e) {
        if (attempt >= 3 || !(e instanceof Error) || !STALE_SLOTS.test(e.message)) throw e;
        await new Promise<void>((resolve) => this.client.refreshSlotsCache(() => resolve()));
      }
    }
  }

  override async mget(keys: readonly string[]): Promise<(string | null)[]> {
    const out: (string | null)[] = new Array<string | null>(keys.length).fill(null);
    await Promise.all(
      [...bySlot(keys).values()].map(async (indexes) => {
        const values = (await this.send(["MGET", ...indexes.map((i) => keys[i]!)])) as DriverReply[];
        indexes.forEach((at, j) => (out[at] = values[j] === null ? null : String(values[j])));
      }),
    );
    return out;
  }

  override async del(keys: readonly string[]): Promise<number> {
    const counts = await Promise.all(
      [...bySlot(keys).values()].map((indexes) => this.send(["DEL", ...indexes.map((i) => keys[i]!)])),
    );
    return counts.reduce<number>((sum, n) => sum + Number(n), 0);
  }

  override async mset(entries: readonly (readonly [string, string])[], expiry: DriverExpiry): Promise<void> {
    const groups = bySlot(entries.map(([k]) => k));
    await Promise.all(
      [...groups.values()].map((indexes) =>
        super.mset(
          indexes.map((i) => entries[i]!),
          expiry,
        ),
      ),
    );
  }

  override async command(cmd: DriverCommand): Promise<DriverReply> {
    const keys = commandKeys(cmd);
    if (cmd[0] === "DEL") return this.del(keys);
    sameSlot(cmd[0], keys);
    return this.send(cmd);
  }

  override async atomic(cmds: readonly DriverCommand[]): Promise<DriverReply[]> {
    const keys = [...new Set(cmds.flatMap(commandKeys))];
    sameSlot(cmds.map((c) => c[0]).join("+"), keys);
    return this.sendAtomic(cmds);
  }

  async close(): Promise<void> {
    if (this.owned) await closeClient(this.client);
  }
}
