/**
 * zset commands (being written).
 */
import type { CommandDefinition } from "./spec.js";

export const zsetCommands: CommandDefinition[] = [];
