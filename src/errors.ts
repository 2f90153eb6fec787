/**
 * The error catalogue: every error reply reddish sends, with Redis 7.0's exact text (without the
 * leading `-` and trailing CRLF, which the reply writer adds). Handlers throw {@link RedisError}s built
 * from here; the dispatcher turns them into error replies. The differential suite checks these
 * against a real redis-server byte for byte.
 */

/** An error that becomes an error reply. `message` is the full reply text, prefix included (`ERR ...`). */
export class RedisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RedisError";
  }
}

/** Fixed error texts. */
export const Err = {
  syntax: "ERR syntax error",
  wrongType: "WRONGTYPE Operation against a key holding the wrong kind of value",
  notInteger: "ERR value is not an integer or out of range",
  notFloat: "ERR value is not a valid float",
  overflow: "ERR increment or decrement would overflow",
  incrFloatNaN: "ERR increment would produce NaN or Infinity",
  noSuchKey: "ERR no such key",
  dbIndexOutOfRange: "ERR DB index is out of range",
  invalidExpire: (cmd: string) => `ERR invalid expire time in '${cmd}' command`,
  noAuth: "NOAUTH Authentication required.",
  wrongPass: "WRONGPASS invalid username-password pair or user is disabled.",
  authNotConfigured:
    "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
  multiNested: "ERR MULTI calls can not be nested",
  execWithoutMulti: "ERR EXEC without MULTI",
  discardWithoutMulti: "ERR DISCARD without MULTI",
  watchInMulti: "ERR WATCH inside MULTI is not allowed",
  execAbort: "EXECABORT Transaction discarded because of previous errors.",
  notAllowedInMulti: "ERR Command not allowed inside a transaction",
  bitOffset: "ERR bit offset is not an integer or out of range",
  bitValue: "ERR bit is not an integer or out of range",
  stringTooLong: "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
  sameObject: "ERR source and destination objects are the same",
  oom: "OOM command not allowed when used memory > 'maxmemory'.",
  debugNotAllowed:
    'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
  protocolVersion: "NOPROTO unsupported protocol version",
  invalidCursor: "ERR invalid cursor",
  dumpPayload: "ERR DUMP payload version or checksum are wrong",
  busyKey: "BUSYKEY Target key name already exists.",
  unknownCommand: (name: string, args: readonly string[]) => {
    let list = "";
    for (let i = 0; i < args.length && list.length < 128; i++) {
      list += `'${args[i]!.slice(0, 128 - list.length)}' `;
    }
    return noNewlines(`ERR unknown command '${name.slice(0, 128)}', with args beginning with: ${list}`);
  },
  unknownSubcommand: (sub: string, container: string) =>
    noNewlines(`ERR unknown subcommand '${sub.slice(0, 128)}'. Try ${container.toUpperCase()} HELP.`),
  subcommandSyntax: (sub: string, container: string) =>
    noNewlines(
      `ERR unknown subcommand or wrong number of arguments for '${sub}'. Try ${container.toUpperCase()} HELP.`,
    ),
  wrongArity: (fullName: string) => `ERR wrong number of arguments for '${fullName}' command`,
  pubsubContext: (name: string) =>
    `ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
  unsupportedConfigParameter: (name: string) =>
    `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`,
} as const;

/** Protocol error texts; the connection is closed after the reply. */
export const ProtocolErr = {
  invalidMultibulkLength: "ERR Protocol error: invalid multibulk length",
  invalidBulkLength: "ERR Protocol error: invalid bulk length",
  expectedDollar: (got: string) => `ERR Protocol error: expected '$', got '${got}'`,
  tooBigInline: "ERR Protocol error: too big inline request",
  tooBigMultibulkCount: "ERR Protocol error: too big mbulk count string",
  tooBigBulkCount: "ERR Protocol error: too big bulk count string",
  unbalancedQuotes: "ERR Protocol error: unbalanced quotes in request",
  unauthenticatedMultibulk: "ERR Protocol error: unauthenticated multibulk length",
  unauthenticatedBulk: "ERR Protocol error: unauthenticated bulk length",
} as const;

/** Redis replaces CR and LF in error texts that echo user input with spaces. */
function noNewlines(text: string): string {
  return text.replace(/[\r\n]/g, " ");
}
