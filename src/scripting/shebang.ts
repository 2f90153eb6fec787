/**
 * Script and library headers: the `#!lua flags=...` shebang of EVAL scripts and the
 * `#!lua name=...` metadata line of FUNCTION libraries, parsed as Redis 7.0 does (both split the
 * line like sdssplitargs, so quotes and repeated blanks are understood).
 */
import { RedisError, ScriptErr } from "../errors.js";
import { splitInlineArgs } from "../resp/parser.js";

/** Script flags (Redis's SCRIPT_FLAG_*), as named in shebangs and register_function. */
export const SCRIPT_FLAGS = [
  "no-writes",
  "allow-oom",
  "allow-stale",
  "no-cluster",
  "allow-cross-slot-keys",
] as const;

/** One script flag. */
export type ScriptFlag = (typeof SCRIPT_FLAGS)[number];

/** A parsed EVAL script: its flags and the code the engine compiles. */
export interface ParsedScript {
  /** No shebang: Redis's EVAL_COMPAT_MODE (flags are then ignored; writes allowed). */
  compat: boolean;
  flags: ReadonlySet<ScriptFlag>;
  /**
   * The code after the shebang line, its newline kept so that line numbers in errors count the
   * shebang as line 1 (as Redis does).
   */
  code: string;
}

/** True if `name` is a script flag. */
export function isScriptFlag(name: string): name is ScriptFlag {
  return (SCRIPT_FLAGS as readonly string[]).includes(name);
}

/** Parses an EVAL script's shebang. Throws RedisError with Redis's texts. */
export function parseEvalScript(body: string): ParsedScript {
  if (!body.startsWith("#!")) return { compat: true, flags: new Set(), code: body };
  const nl = body.indexOf("\n");
  if (nl < 0) throw new RedisError(ScriptErr.invalidShebang);
  const parts = splitInlineArgs(body.slice(0, nl));
  if (parts === null || parts.length === 0) throw new RedisError(ScriptErr.invalidEngine);
  if (parts[0] !== "#!lua") throw new RedisError(ScriptErr.unexpectedEngine(parts[0]!));
  const flags = new Set<ScriptFlag>();
  for (const part of parts.slice(1)) {
    if (!part.startsWith("flags=")) throw new RedisError(ScriptErr.unknownShebangOption(part));
    const list = part.slice(6);
    // sdssplitlen of an empty string gives no parts; otherwise empty parts are kept.
    if (list === "") continue;
    for (const flag of list.split(",")) {
      if (!isScriptFlag(flag)) throw new RedisError(ScriptErr.unexpectedFlag(flag));
      flags.add(flag);
    }
  }
  return { compat: false, flags, code: body.slice(nl) };
}

/** A library's metadata line (`#!lua name=<name>`). */
export interface LibraryMeta {
  /** The engine name as given (`lua`; engines are looked up case-insensitively). */
  engine: string;
  name: string;
  /** The code after the metadata line, newline kept (line numbers count the header). */
  code: string;
}

const NAME_CHARS = /^[A-Za-z0-9_]+$/;

/** True if `name` is a valid library or function name (letters, digits, underscores; not empty). */
export function isValidName(name: string): boolean {
  return NAME_CHARS.test(name);
}

/** Parses a library's first line (functions.c). Throws RedisError with Redis's texts. */
export function parseLibraryMeta(code: string): LibraryMeta {
  if (!code.startsWith("#!")) throw new RedisError(ScriptErr.missingLibraryMeta);
  const nl = code.indexOf("\n");
  if (nl < 0) throw new RedisError(ScriptErr.invalidLibraryMeta);
  const parts = splitInlineArgs(code.slice(0, nl));
  if (parts === null || parts.length === 0) throw new RedisError(ScriptErr.invalidLibraryMeta);
  const engine = parts[0]!.slice(2);
  let name: string | undefined;
  for (const part of parts.slice(1)) {
    if (part.slice(0, 5).toLowerCase() === "name=") {
      if (name !== undefined) throw new RedisError(ScriptErr.nameGivenTwice);
      name = part.slice(5);
      continue;
    }
    throw new RedisError(ScriptErr.invalidMetadataValue(part));
  }
  if (name === undefined) throw new RedisError(ScriptErr.libraryNameMissing);
  return { engine, name, code: code.slice(nl) };
}
