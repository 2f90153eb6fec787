/**
 * Command-line and config-file parsing for `reddish-server`, in redis-server's style:
 * `reddish-server [/path/to/redis.conf] [--name value ...]`. Every option is a configuration
 * parameter; multi-word values (`--save 900 1`) take the words up to the next `--option`.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { splitInlineArgs } from "../resp/parser.js";
import { findParam } from "../server/config.js";

/** Parsed command line. */
export interface CliOptions {
  config: Record<string, string>;
  /** Absolute path of the config file given first on the command line, if any. */
  configFile?: string;
  help: boolean;
  version: boolean;
}

/** Parses argv (without node and script). Throws Error with a user-facing message. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const out: CliOptions = { config: {}, help: false, version: false };
  let i = 0;
  if (argv[0] === "-h" || argv[0] === "--help") return { ...out, help: true };
  if (argv[0] === "-v" || argv[0] === "--version") return { ...out, version: true };
  if (argv[0] !== undefined && !argv[0].startsWith("--")) {
    Object.assign(out.config, parseConfigFile(readFileSync(argv[0], "utf8"), argv[0]));
    out.configFile = resolve(argv[0]);
    i = 1;
  }
  while (i < argv.length) {
    const arg = argv[i]!;
    if (!arg.startsWith("--"))
      throw new Error(`unexpected argument '${arg}' (options look like --port 6380)`);
    const name = arg.slice(2);
    const words: string[] = [];
    i++;
    while (i < argv.length && !argv[i]!.startsWith("--")) words.push(argv[i++]!);
    setParam(out.config, name, words, "command line");
  }
  return out;
}

/** Parses redis.conf text: `name value...` lines, `#` comments, quoted values. */
export function parseConfigFile(text: string, source: string): Record<string, string> {
  const config: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, n) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const words = splitInlineArgs(trimmed);
    if (!words || words.length === 0) throw new Error(`${source}:${n + 1}: unbalanced quotes`);
    setParam(config, words[0]!, words.slice(1), `${source}:${n + 1}`);
  });
  return config;
}

function setParam(config: Record<string, string>, name: string, words: string[], where: string): void {
  const spec = findParam(name);
  if (!spec) throw new Error(`${where}: unknown option '${name}'`);
  config[spec.name] = words.join(" ");
}
