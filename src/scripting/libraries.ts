/**
 * The FUNCTION library registry (Redis 7.0's functions.c): libraries by name, their functions by
 * name (function names are global across libraries), FUNCTION DUMP/RESTORE payloads, and the
 * transactional join used by LOAD REPLACE and RESTORE (all or nothing).
 */
import { RdbFormatError, RdbReader, RdbWriter, RDB_VERSION, crc64, verifyDumpPayload } from "../types/rdb.js";
import type { RdbConfig } from "../types/rdb.js";
import type { LuaFunction } from "./lua/value.js";
import type { ScriptFlag } from "./shebang.js";

/** RDB_OPCODE_FUNCTION2: one library (its code) in an RDB file or a FUNCTION DUMP payload. */
export const RDB_OPCODE_FUNCTION2 = 245;
/** RDB_OPCODE_FUNCTION: Redis 7.0-rc's format (name, engine, description, code); rejected on load. */
export const RDB_OPCODE_FUNCTION = 246;

/** One registered function. */
export interface FunctionInfo {
  readonly name: string;
  readonly callback: LuaFunction;
  readonly flags: ReadonlySet<ScriptFlag>;
  readonly description: string | null;
  readonly library: Library;
}

/** One library: its name, engine, code and functions. */
export interface Library {
  readonly name: string;
  readonly engine: "LUA";
  readonly code: string;
  readonly functions: Map<string, FunctionInfo>;
}

/** A function name as the function registry compares it: ASCII letters folded to lower case. */
export function functionKey(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * A set of libraries and the functions they define (Redis's functionsLibCtx). Library names are
 * case-sensitive; function names are not across libraries (`functions` is keyed by
 * {@link functionKey}), while a library's own functions are (so one library may register `f` and
 * `F`: the later one then answers both names, and both count, as in Redis 7.0).
 */
export class LibrarySet {
  readonly libraries = new Map<string, Library>();
  readonly functions = new Map<string, FunctionInfo>();
  /** Functions registered by the libraries (FUNCTION STATS functions_count). */
  functionCount = 0;

  /** Adds a library and its functions (names must be free). */
  link(lib: Library): void {
    this.libraries.set(lib.name, lib);
    for (const fn of lib.functions.values()) this.functions.set(functionKey(fn.name), fn);
    this.functionCount += lib.functions.size;
  }

  /** Removes a library and its functions. */
  unlink(lib: Library): void {
    this.libraries.delete(lib.name);
    for (const fn of lib.functions.values()) {
      const key = functionKey(fn.name);
      if (this.functions.get(key)?.library === lib) this.functions.delete(key);
    }
    this.functionCount -= lib.functions.size;
  }

  clear(): void {
    this.libraries.clear();
    this.functions.clear();
    this.functionCount = 0;
  }

  /** Replaces this set's content with another's. */
  swap(other: LibrarySet): void {
    this.clear();
    for (const lib of other.libraries.values()) this.link(lib);
  }

  /**
   * libraryJoin: moves every library of `src` in. With `replace`, same-named libraries are
   * replaced; otherwise they fail the join. A function name taken by a library that stays fails
   * it too. On failure nothing changes and the error text (without `ERR `) is returned.
   */
  join(src: LibrarySet, replace: boolean): string | null {
    const replaced: Library[] = [];
    for (const lib of src.libraries.values()) {
      const old = this.libraries.get(lib.name);
      if (!old) continue;
      if (!replace) return `Library ${lib.name} already exists`;
      replaced.push(old);
    }
    for (const old of replaced) this.unlink(old);
    for (const [key, fn] of src.functions) {
      if (this.functions.has(key)) {
        for (const old of replaced) this.link(old);
        return `Function ${fn.name} already exists`;
      }
    }
    for (const lib of src.libraries.values()) this.link(lib);
    return null;
  }
}

/** FUNCTION DUMP's payload: each library as RDB_OPCODE_FUNCTION2 + its code, then the footer. */
export function dumpLibraries(libs: Iterable<Library>, config: RdbConfig): Buffer {
  const w = new RdbWriter(config);
  for (const lib of libs) {
    w.byte(RDB_OPCODE_FUNCTION2);
    w.string(lib.code);
  }
  w.byte(RDB_VERSION & 0xff);
  w.byte((RDB_VERSION >> 8) & 0xff);
  const body = w.toBuffer();
  return Buffer.concat([body, crc64(body)]);
}

/** Why a FUNCTION RESTORE payload cannot be read. */
export class RestorePayloadError extends Error {}

/**
 * The library codes in a FUNCTION RESTORE payload (verified footer first). Throws
 * {@link RestorePayloadError} with Redis's texts (without `ERR `), or null for a bad footer.
 */
export function readLibraryCodes(payload: Buffer, config: RdbConfig): string[] | null {
  if (!verifyDumpPayload(payload)) return null;
  const r = new RdbReader(payload, config);
  const codes: string[] = [];
  while (payload.length - r.pos > 10) {
    let type: number;
    try {
      type = r.byte();
    } catch {
      throw new RestorePayloadError("can not read data type");
    }
    if (type !== RDB_OPCODE_FUNCTION2) {
      if (type === RDB_OPCODE_FUNCTION) {
        throw new RestorePayloadError(
          "Pre-GA function format not supported, please upgrade to the latest Redis version.",
        );
      }
      throw new RestorePayloadError("given type is not a function");
    }
    try {
      codes.push(r.string());
    } catch (e) {
      if (!(e instanceof RdbFormatError)) throw e;
      throw new RestorePayloadError("Failed loading library payload");
    }
  }
  return codes;
}
