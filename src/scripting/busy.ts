/**
 * Servers whose script run is past busy-reply-threshold, with the BUSY error their other clients
 * get. Kept apart from the runtime so the dispatcher's check costs one Map size test.
 */
import type { ServerCore } from "../server/core.js";

/** Busy servers and the error each one answers (EVAL's or FCALL's wording). */
export const busyScripts = new Map<ServerCore, string>();

/** The BUSY error for `server`, or null when no script is held. */
export function busyErrorOf(server: ServerCore): string | null {
  return busyScripts.get(server) ?? null;
}
