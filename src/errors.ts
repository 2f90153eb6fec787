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
  /** EXEC itself rejected by the dispatcher: the reason loses its `ERR ` prefix. */
  execAbortBecause: (reason: string) =>
    `EXECABORT Transaction discarded because of: ${reason.startsWith("ERR ") ? reason.slice(4) : reason}`,
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

// ---- connection / CLIENT family (HELLO, AUTH, SELECT, SWAPDB, CLIENT ...) ----

/** Error texts of the connection commands and CLIENT subcommands (Redis 7.0 wording). */
export const ConnectionErr = {
  helloProtover: "ERR Protocol version is not an integer or out of range",
  helloOption: (opt: string) => noNewlines(`ERR Syntax error in HELLO option '${opt}'`),
  helloNoAuth:
    "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
  intOutOfRange: "ERR value is out of range, value must between -2147483648 and 2147483647",
  swapdbFirst: "ERR invalid first DB index",
  swapdbSecond: "ERR invalid second DB index",
  clientName: "ERR Client names cannot contain spaces, newlines or special characters.",
  noSuchClient: "ERR No such client",
  clientIdPositive: "ERR client-id should be greater than 0",
  invalidClientId: "ERR Invalid client ID",
  unknownClientType: (type: string) => noNewlines(`ERR Unknown client type '${type}'`),
  noSuchUser: (user: string) => noNewlines(`ERR No such user '${user}'`),
  pauseTimeout: "ERR timeout is not an integer or out of range",
  pauseNegative: "ERR timeout is negative",
  pauseMode: "ERR CLIENT PAUSE mode must be WRITE or ALL",
  unblockReason: "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR",
  cachingWithoutTracking:
    "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
  resetNotNormal: "ERR can only reset normal client connections",
} as const;

// ---- string & bitmap families (SETRANGE, DECRBY, LCS, BITPOS, BITOP, BITFIELD ...) ----

/** Error texts of the string and bitmap commands (Redis 7.0 wording). */
export const StringErr = {
  offsetOutOfRange: "ERR offset is out of range",
  decrementOverflow: "ERR decrement would overflow",
  lcsNotStrings: "ERR The specified keys must contain string values",
  lcsLenAndIdx: "ERR If you want both the length and indexes, please just use IDX.",
  lcsTooLong: "ERR String too long for LCS",
  lcsMemoryLimit: "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
  lcsAllocFailed: "ERR Insufficient memory, failed allocating transient memory for LCS",
  bitArgument: "ERR The bit argument must be 1 or 0.",
  bitopNotArity: "ERR BITOP NOT must be called with a single source key.",
  bitfieldType:
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
  bitfieldOverflowType: "ERR Invalid OVERFLOW type specified",
  bitfieldReadOnly: "ERR BITFIELD_RO only supports the GET subcommand",
} as const;

// ---- hash family (HINCRBY, HINCRBYFLOAT, HRANDFIELD ...) ----

/** Error texts of the hash commands (Redis 7.0 wording). */
export const HashErr = {
  valueNotInteger: "ERR hash value is not an integer",
  valueNotFloat: "ERR hash value is not a float",
  incrNaNOrInfinity: "ERR value is NaN or Infinity",
  countOutOfRange: "ERR value is out of range",
  randCountRange:
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
} as const;

// ---- generic keyspace family (EXPIRE options, OBJECT, DUMP/RESTORE ...) ----

/** Error texts of the generic keyspace commands (Redis 7.0 wording). */
export const GenericErr = {
  expireNxAndOthers: "ERR NX and XX, GT or LT options at the same time are not compatible",
  expireGtAndLt: "ERR GT and LT options at the same time are not compatible",
  unsupportedOption: (opt: string) => noNewlines(`ERR Unsupported option ${opt}`),
  lfuNotSelected:
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
  lfuSelected:
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
  restoreTtl: "ERR Invalid TTL value, must be >= 0",
  restoreIdletime: "ERR Invalid IDLETIME value, must be >= 0",
  restoreFreq: "ERR Invalid FREQ value, must be >= 0 and <= 255",
  badDataFormat: "ERR Bad data format",
  /** reddish only: DUMP of a type whose RDB encoding is not implemented yet. */
  dumpUnsupported: (type: string) => `ERR DUMP of ${type} values is not supported yet`,
} as const;

// ---- set family (SPOP, SRANDMEMBER, SINTERCARD ...) ----

/** Error texts of the set commands (Redis 7.0 wording). */
export const SetErr = {
  /** SPOP's count (getPositiveLongFromObjectOrReply), also for a non-integer count. */
  popCountRange: "ERR value is out of range, must be positive",
  /** SRANDMEMBER's count outside [-LONG_MAX, LONG_MAX] (Redis's wording, typo included). */
  randCountRange:
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
  /**
   * SRANDMEMBER with a negative count too large to build a reply for. Redis 7.0 tries and runs out
   * of memory; reddish refuses instead (deliberate difference).
   */
  randCountTooLarge: "ERR value is out of range",
  numkeysPositive: "ERR numkeys should be greater than 0",
  numkeysTooMany: "ERR Number of keys can't be greater than number of args",
  limitNegative: "ERR LIMIT can't be negative",
} as const;

// ---- server family (CONFIG, DEBUG, MEMORY, BGSAVE ...) and COMMAND ----

/** Error texts of the server commands and the COMMAND container (Redis 7.0 wording). */
export const ServerErr = {
  /** COMMAND GETKEYS / GETKEYSANDFLAGS. */
  invalidCommand: "ERR Invalid command specified",
  noKeyArguments: "ERR The command has no key arguments",
  invalidArgCount: "ERR Invalid number of arguments specified for command",
  invalidArguments: "ERR Invalid arguments specified for command",
  /** CONFIG SET naming a parameter Redis does not have. */
  configUnknown: (name: string) =>
    noNewlines(`ERR Unknown option or number of arguments for CONFIG SET - '${name}'`),
  /** CONFIG SET refusing a value; `reason` is the part after the dash. */
  configSetFailed: (name: string, reason: string) =>
    noNewlines(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`),
  configNoFile: "ERR The server is running without a config file",
  configRewrite: (reason: string) => noNewlines(`ERR Rewriting config file: ${reason}`),
  /** DEBUG with an unknown subcommand or the wrong number of arguments. */
  debugSyntax: (sub: string) =>
    noNewlines(
      `ERR unknown subcommand or wrong number of arguments for '${sub.slice(0, 128)}'. Try DEBUG HELP.`,
    ),
  positiveValue: "ERR value is out of range, must be positive",
  protocolType:
    "ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false",
  resp2NotSupported: "ERR RESP2 is not supported by this command",
  /** reddish only: DEBUG FASTFORWARD / SET-TIME on a clock that cannot be moved. */
  clockNotControllable: "ERR the server clock cannot be moved (not a controllable clock)",
  /** reddish only: DEBUG FASTFORWARD with a negative or non-integer amount. */
  fastForwardRange: "ERR milliseconds must be a non-negative integer",
  /** reddish only: DEBUG SET-TIME with a non-integer time. */
  setTimeValue: "ERR time must be an integer number of Unix milliseconds",
  mallocStatsUnsupported: "Stats not supported for the current allocator",
  slowlogCount: "ERR count should be greater than or equal to -1",
  noShutdown: "ERR No shutdown in progress.",
  clusterDisabled: "ERR This instance has cluster support disabled",
  timeoutNotInteger: "ERR timeout is not an integer or out of range",
  timeoutNegative: "ERR timeout is negative",
} as const;

// ---- sorted set family (ZADD options, ranges, ZUNIONSTORE, ZPOP, ZRANDMEMBER ...) ----

/** Error texts of the sorted-set commands (Redis 7.0 wording). */
export const ZsetErr = {
  xxAndNx: "ERR XX and NX options at the same time are not compatible",
  gtLtNx: "ERR GT, LT, and/or NX options at the same time are not compatible",
  incrSinglePair: "ERR INCR option supports a single increment-element pair",
  nan: "ERR resulting score is not a number (NaN)",
  minMaxNotFloat: "ERR min or max is not a float",
  minMaxNotLex: "ERR min or max not valid string range item",
  limitNeedsByScoreOrLex:
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
  withscoresWithBylex: "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
  weightNotFloat: "ERR weight value is not a float",
  /** ZUNION/ZINTER/ZDIFF(STORE)/ZINTERCARD with numkeys < 1; `fullName` is the lower-case command name. */
  atLeastOneKey: (fullName: string) => `ERR at least 1 input key is needed for '${fullName}' command`,
  limitNegative: "ERR LIMIT can't be negative",
  /** ZPOPMIN/ZPOPMAX count (getPositiveLongFromObjectOrReply). */
  popCountPositive: "ERR value is out of range, must be positive",
  numkeysPositive: "ERR numkeys should be greater than 0",
  countPositive: "ERR count should be greater than 0",
  /** ZRANDMEMBER count outside [-LONG_MAX, LONG_MAX] (Redis's wording, typo included). */
  randCountRange:
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
  /**
   * ZRANDMEMBER WITHSCORES count outside [-LONG_MAX/2, LONG_MAX/2]; reddish also gives it for a
   * repeat count too large to build a reply for (Redis 7.0 runs out of memory: deliberate difference).
   */
  randCountTooLarge: "ERR value is out of range",
} as const;

// ---- list family and blocking commands (LSET, LPOS, LMPOP, BLPOP timeouts, CLIENT UNBLOCK ...) ----

/** Error texts of the list commands (Redis 7.0 wording). */
export const ListErr = {
  /** LSET with an index outside the list (Redis's shared.outofrangeerr). */
  indexOutOfRange: "ERR index out of range",
  /** LPOP/RPOP count (getPositiveLongFromObjectOrReply), also for a non-integer count. */
  popCountRange: "ERR value is out of range, must be positive",
  lposRankZero:
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  lposCountNegative: "ERR COUNT can't be negative",
  lposMaxlenNegative: "ERR MAXLEN can't be negative",
  /** LMPOP/BLMPOP numkeys below 1 or not an integer. */
  numkeysPositive: "ERR numkeys should be greater than 0",
  /** LMPOP/BLMPOP COUNT below 1 or not an integer. */
  countPositive: "ERR count should be greater than 0",
} as const;

/** Error texts of blocking commands, shared by lists, sorted sets and streams (Redis 7.0 wording). */
export const BlockingErr = {
  timeoutNotFloat: "ERR timeout is not a float or out of range",
  timeoutNegative: "ERR timeout is negative",
  /** The reply of a client ended by CLIENT UNBLOCK ... ERROR. */
  unblockedByClient: "UNBLOCKED client unblocked via CLIENT UNBLOCK",
} as const;

// ---- SORT / SORT_RO ----

/** Error texts of SORT and SORT_RO (Redis 7.0 wording). */
export const SortErr = {
  /** A weight (the element itself or a BY value) that strtod cannot fully convert, or out of range, or NaN. */
  notDouble: "ERR One or more scores can't be converted into double",
} as const;

// ---- HyperLogLog ----

/** Error texts of the HyperLogLog commands (Redis 7.0 wording). */
export const HllErr = {
  /** A string that is not an HLL (isHLLObjectOrReply). */
  notHll: "WRONGTYPE Key is not a valid HyperLogLog string value.",
  /** An HLL whose registers do not add up (invalid_hll_err). */
  corrupted: "INVALIDOBJ Corrupted HLL object detected",
  noSuchKey: "ERR The specified key does not exist",
  notSparse: "ERR HLL encoding is not sparse",
  unknownSubcommand: (sub: string) => `ERR Unknown PFDEBUG subcommand '${sub}'`,
} as const;

// ---- geo ----

/** Error texts of the geo commands (Redis 7.0 wording). */
export const GeoErr = {
  /** A longitude/latitude outside the Web Mercator limits, printed with C's `%f`. */
  invalidLonLat: (lon: string, lat: string) => `ERR invalid longitude,latitude pair ${lon},${lat}`,
  unsupportedUnit: "ERR unsupported unit provided. please use M, KM, FT, MI",
  needNumericRadius: "ERR need numeric radius",
  radiusNegative: "ERR radius cannot be negative",
  needNumericWidth: "ERR need numeric width",
  needNumericHeight: "ERR need numeric height",
  boxNegative: "ERR height or width cannot be negative",
  countPositive: "ERR COUNT must be > 0",
  memberNotFound: "ERR could not decode requested zset member",
  /** STORE/STOREDIST with WITH* options; `what` is `GEOSEARCHSTORE` or `STORE option in GEORADIUS`. */
  storeWithOptions: (what: string) =>
    `ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`,
  /** `command` is argv[0] as the client sent it. */
  fromRequired: (command: string) =>
    `ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${command}`,
  byRequired: (command: string) => `ERR exactly one of BYRADIUS and BYBOX can be specified for ${command}`,
  anyRequiresCount: "ERR the ANY argument requires COUNT argument",
} as const;

// ---- hash field expiry (Redis 7.4) ----

/**
 * Error texts of the HEXPIRE family (HEXPIRE ... HPERSIST), which arrived in Redis 7.4: the
 * reference server (7.0) predates them, so these follow Redis 7.4's source and documentation.
 */
export const HashTtlErr = {
  /** A negative TTL or timestamp. */
  negativeExpire: "ERR invalid expire time, must be >= 0",
  /** The FIELDS keyword is not where it must be (after the time and the optional condition). */
  fieldsMissing: "ERR Mandatory argument FIELDS is missing or not at the right position",
  /** `numfields` is not an integer, or below 1. */
  numFieldsPositive: "ERR Parameter `numFields` should be greater than 0",
  /** `numfields` differs from the number of field arguments that follow it. */
  numFieldsMismatch: "ERR The `numfields` parameter must match the number of arguments",
} as const;

/** Stream errors (t_stream.c). */
export const StreamErr = {
  invalidId: "ERR Invalid stream ID specified as stream command argument",
  invalidStartInterval: "ERR invalid start ID for the interval",
  invalidEndInterval: "ERR invalid end ID for the interval",
  idTooSmall: "ERR The ID specified in XADD is equal or smaller than the target stream top item",
  idZero: "ERR The ID specified in XADD must be greater than 0-0",
  exhausted: "ERR The stream has exhausted the last possible ID, unable to add more items",
  tooLarge: "ERR Elements are too large to be stored",
  maxlenAndMinid: "ERR syntax error, MAXLEN and MINID options at the same time are not compatible",
  maxlenNegative: "ERR The MAXLEN argument must be >= 0.",
  limitNegative: "ERR The LIMIT argument must be >= 0.",
  limitWithoutStrategy: "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
  limitWithoutApprox: "ERR syntax error, LIMIT cannot be used without the special ~ option",
  xtrimWithoutStrategy: "ERR syntax error, XTRIM must be called with a trimming strategy",
  xsetidEntriesAdded: "ERR entries_added must be positive",
  xsetidMaxDeleted: "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
  xsetidSmallerThanTop: "ERR The ID specified in XSETID is smaller than the target stream top item",
  xsetidEntriesAddedSmall:
    "ERR The entries_added specified in XSETID is smaller than the target stream length",
  entriesReadRange: "ERR value for ENTRIESREAD must be positive or -1",
  busyGroup: "BUSYGROUP Consumer Group name already exists",
  xgroupKeyMissing:
    "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
  noGroupForKey: (group: string, key: string) =>
    `NOGROUP No such consumer group '${group}' for key name '${key}'`,
  noKeyOrGroup: (key: string, group: string) => `NOGROUP No such key '${key}' or consumer group '${group}'`,
  noKeyOrGroupReadgroup: (key: string, group: string) =>
    `NOGROUP No such key '${key}' or consumer group '${group}' in XREADGROUP with GROUP option`,
  groupGone: "NOGROUP the consumer group this client was blocked on no longer exists",
  keyGone: "UNBLOCKED the stream key no longer exists",
  unbalanced: "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
  groupOnlyReadgroup: "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
  noackOnlyReadgroup: "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
  missingGroup: "ERR Missing GROUP option for XREADGROUP",
  dollarInReadgroup:
    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
  gtOnlyReadgroup:
    "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
  blockInScript: (cmd: string) => `ERR ${cmd} command is not allowed with BLOCK option from scripts`,
  minIdle: (cmd: string) => `ERR Invalid min-idle-time argument for ${cmd}`,
  xclaimOption: (opt: string) => `ERR Invalid ${opt} option argument for XCLAIM`,
  xclaimUnrecognized: (opt: string) => `ERR Unrecognized XCLAIM option '${opt}'`,
  autoclaimCount: "ERR COUNT must be > 0",
} as const;

/** Error texts of the pub/sub commands (Redis 7.0 wording). */
export const PubSubErr = {
  /** (P|S)SUBSCRIBE from a client that expects one reply per command (scripts; MULTI for SSUBSCRIBE). */
  denyBlocking: (name: string) => `ERR ${name} isn't allowed for a DENY BLOCKING client`,
} as const;

/** Error texts of CLIENT TRACKING and CLIENT CACHING (Redis 7.0 wording). */
export const TrackingErr = {
  singleRedirect: "ERR A client can only redirect to a single other client",
  noRedirectClient: "ERR The client ID you want redirect to does not exist",
  prefixNeedsBcast: "ERR PREFIX option requires BCAST mode to be enabled",
  switchBcast:
    "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
  optWithBcast: "ERR OPTIN and OPTOUT are not compatible with BCAST",
  optinAndOptout: "ERR You can't specify both OPTIN mode and OPTOUT mode",
  switchOpt:
    "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
  prefixOverlapsExisting: (prefix: string, other: string) =>
    noNewlines(
      `ERR Prefix '${prefix}' overlaps with an existing prefix '${other}'. Prefixes for a single client must not overlap.`,
    ),
  prefixOverlapsProvided: (prefix: string, other: string) =>
    noNewlines(
      `ERR Prefix '${prefix}' overlaps with another provided prefix '${other}'. Prefixes for a single client must not overlap.`,
    ),
  cachingYes: "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.",
  cachingNo: "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.",
} as const;

// ---- scripting: EVAL, SCRIPT, FUNCTION, FCALL and redis.* inside scripts ----

/** Error texts of scripting and functions (Redis 7.0 wording). */
export const ScriptErr = {
  noScript: "NOSCRIPT No matching script. Please use EVAL.",
  numkeysTooBig: "ERR Number of keys can't be greater than number of args",
  numkeysNegative: "ERR Number of keys can't be negative",
  invalidShebang: "ERR Invalid script shebang",
  invalidEngine: "ERR Invalid engine in script shebang",
  unexpectedEngine: (engine: string) => `ERR Unexpected engine in script shebang: ${engine}`,
  unknownShebangOption: (option: string) => `ERR Unknown lua shebang option: ${option}`,
  unexpectedFlag: (flag: string) => `ERR Unexpected flag in script shebang: ${flag}`,
  flushOption: "ERR SCRIPT FLUSH only support SYNC|ASYNC option",
  functionFlushOption: "ERR FUNCTION FLUSH only supports SYNC|ASYNC option",
  notBusy: "NOTBUSY No scripts in execution right now.",
  unkillable:
    "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.",
  busyEval: "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
  busyFunction: "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.",
  roWithWriteFlag: "ERR Can not execute a script with write flag using *_ro command.",
  oomFlag: "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'",
  // Library metadata (FUNCTION LOAD / RESTORE).
  missingLibraryMeta: "ERR Missing library metadata",
  invalidLibraryMeta: "ERR Invalid library metadata",
  nameGivenTwice: "ERR Invalid metadata value, name argument was given multiple times",
  invalidMetadataValue: (part: string) => `ERR Invalid metadata value given: ${part}`,
  libraryNameMissing: "ERR Library name was not given",
  /** XREAD / XREADGROUP BLOCK from a script (`command` as the script wrote it). */
  blockInScript: (command: string) => `ERR ${command} command is not allowed with BLOCK option from scripts`,
} as const;

/** ACL errors (Redis 7.0 acl.c; texts checked against redis-server 7.0.15). */
export const AclErr = {
  /** ACL SETUSER rule failures and unmatched selector parentheses (text built by the store). */
  setUser: (detail: string) => `ERR ${detail}`,
  usernameSpaces: "ERR Usernames can't contain spaces or null characters",
  deleteDefault: "ERR The 'default' user cannot be removed",
  genpassBits:
    "ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096",
  unknownCategory: (category: string) => `ERR Unknown category '${category}'`,
  /** A command refused by the user's permissions (`name` is the full name, `client|id`). */
  noPermCommand: (name: string) => `NOPERM this user has no permissions to run the '${name}' command`,
  noPermKey: "NOPERM this user has no permissions to access one of the keys used as arguments",
  noPermChannel: "NOPERM this user has no permissions to access one of the channels used as arguments",
  /** The same refusals for redis.call in a script (scriptCall; the script layer adds `ERR `). */
  scriptNoPermCommand: "The user executing the script can't run this command or subcommand",
  scriptNoPermKey:
    "The user executing the script can't access at least one of the keys mentioned in the command arguments",
  scriptNoPermChannel: "The user executing the script can't publish to the channel mentioned in the command",
  /** ACL DRYRUN's answers (getAclErrorMessage, verbose form: a bulk reply, not an error). */
  dryrunCommand: (name: string) => `This user has no permissions to run the '${name}' command`,
  dryrunKey: (key: string) => `This user has no permissions to access the '${key}' key`,
  dryrunChannel: (channel: string) => `This user has no permissions to access the '${channel}' channel`,
  userNotFound: (name: string) => `ERR User '${name}' not found`,
  commandNotFound: (name: string) => `ERR Command '${name}' not found`,
  loadOpen: (file: string, reason: string) => `ERR Error loading ACLs, opening file '${file}': ${reason}`,
  saveFailed:
    "ERR There was an error trying to save the ACLs. Please check the server logs for more information",
  noAclFile:
    "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.",
} as const;

/** MONITOR. */
export const MonitorErr = {
  /** A monitoring client (a replica to Redis) sent a read, write or may-replicate command. */
  replicaKeyspace: "ERR Replica can't interact with the keyspace",
  /** MONITOR inside MULTI or from a script (CLIENT_DENY_BLOCKING). */
  denyBlocking: "ERR MONITOR isn't allowed for DENY BLOCKING client",
} as const;
