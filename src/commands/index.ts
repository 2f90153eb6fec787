/**
 * Every implemented command, gathered from the family modules. The command table is built from
 * this list and the generated metadata.
 */
import type { CommandDefinition } from "./spec.js";
import { bitmapCommands } from "./bitmap.js";
import { clientCommands } from "./client.js";
import { commandCommands } from "./command.js";
import { connectionCommands } from "./connection.js";
import { genericCommands } from "./generic.js";
import { geoCommands } from "./geo.js";
import { hashCommands } from "./hash.js";
import { hashExpireCommands } from "./hash-expire.js";
import { hyperloglogCommands } from "./hyperloglog.js";
import { listCommands } from "./list.js";
import { pubsubCommands } from "./pubsub.js";
import { serverCommands } from "./server.js";
import { setCommands } from "./set.js";
import { sortCommands } from "./sort.js";
import { streamCommands } from "./stream.js";
import { stringCommands } from "./string.js";
import { transactionsCommands } from "./transactions.js";
import { zsetCommands } from "./zset.js";
import { scriptingCommands } from "./scripting.js";
import { functionsCommands } from "./functions.js";
import { aclCommands } from "./acl.js";
import { monitorCommands } from "./monitor.js";
import { clusterCommands } from "./cluster.js";

/** All command definitions, by family. */
export const ALL_COMMANDS: readonly CommandDefinition[] = [
  ...connectionCommands,
  ...clientCommands,
  ...serverCommands,
  ...commandCommands,
  ...genericCommands,
  ...stringCommands,
  ...bitmapCommands,
  ...hashCommands,
  ...hashExpireCommands,
  ...listCommands,
  ...setCommands,
  ...zsetCommands,
  ...sortCommands,
  ...hyperloglogCommands,
  ...geoCommands,
  ...streamCommands,
  ...transactionsCommands,
  ...pubsubCommands,
  ...scriptingCommands,
  ...functionsCommands,
  ...aclCommands,
  ...monitorCommands,
  ...clusterCommands,
];
