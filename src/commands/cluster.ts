/**
 * CLUSTER (every subcommand) and ASKING as a standalone Redis 7.0 (`cluster-enabled no`) answers
 * them: argument counts are checked from the table, then each answers that cluster support is
 * disabled (Redis's clusterCommand and askingCommand check cluster_enabled first, so even CLUSTER
 * HELP does). READONLY and READWRITE live in server-admin.ts.
 */
import { RedisError, ServerErr } from "../errors.js";
import type { CommandDefinition } from "./spec.js";

/** CLUSTER <subcommand> [...] and ASKING: cluster support is disabled. */
function clusterDisabledCommand(): void {
  throw new RedisError(ServerErr.clusterDisabled);
}

/** Redis 7.0's CLUSTER subcommands. */
const SUBCOMMANDS = [
  "addslots",
  "addslotsrange",
  "bumpepoch",
  "count-failure-reports",
  "countkeysinslot",
  "delslots",
  "delslotsrange",
  "failover",
  "flushslots",
  "forget",
  "getkeysinslot",
  "help",
  "info",
  "keyslot",
  "links",
  "meet",
  "myid",
  "nodes",
  "replicas",
  "replicate",
  "reset",
  "saveconfig",
  "set-config-epoch",
  "setslot",
  "shards",
  "slaves",
  "slots",
];

/** CLUSTER's subcommands and ASKING. */
export const clusterCommands: CommandDefinition[] = [
  { name: "asking", handler: clusterDisabledCommand },
  ...SUBCOMMANDS.map((sub) => ({ name: `cluster|${sub}`, handler: clusterDisabledCommand })),
];
