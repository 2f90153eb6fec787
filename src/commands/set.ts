/**
 * set commands (being written).
 */
import type { CommandDefinition } from "./spec.js";

export const setCommands: CommandDefinition[] = [];
