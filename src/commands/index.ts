/**
 * Every implemented command, gathered from the family modules. The command table is built from
 * this list and the generated metadata.
 */
import type { CommandDefinition } from "./spec.js";
import { connectionCommands } from "./connection.js";
import { stringCommands } from "./string.js";

/** All command definitions, by family. */
export const ALL_COMMANDS: readonly CommandDefinition[] = [...connectionCommands, ...stringCommands];
