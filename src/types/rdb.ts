/**
 * RDB value serialization, as DUMP and RESTORE use it (Redis's rdb.c and cluster.c): a payload is
 * `<type byte><value encoding><RDB version, 2 bytes LE><CRC64-Jones of the preceding bytes, 8 bytes
 * LE>`. Strings are encoded exactly as Redis 7.0 does (integer encodings, LZF compression above 20
 * bytes when it saves at least 4 bytes), so DUMP output is byte-identical to redis-server's.
 *
 * Other data types plug in through {@link registerRdbSaver} and {@link registerRdbLoader}: a saver
 * writes a value's type byte and body with an {@link RdbWriter}; a loader reads a body for one type
 * byte with an {@link RdbReader}. Payloads of types with no loader are rejected with Redis's
 * "Bad data format" error by the caller.
 */
import { latin1Slice } from "../resp/bytes.js";
import { type StringValue, parseInt64, stringBytes } from "./string.js";
import type { CollectionValue, RedisValue } from "./value.js";

/** The RDB format version Redis 7.0 writes (RDB_VERSION). */
export const RDB_VERSION = 10;

/** RDB object type bytes (RDB_TYPE_*), as of RDB version 10. */
export const RdbType = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  MODULE: 6,
  MODULE_2: 7,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
} as const;

/** Length-prefix markers (RDB_6BITLEN ... RDB_ENCVAL) and special string encodings (RDB_ENC_*). */
const RDB_6BITLEN = 0;
const RDB_14BITLEN = 1;
const RDB_32BITLEN = 0x80;
const RDB_64BITLEN = 0x81;
const RDB_ENCVAL = 3;
const RDB_ENC_INT8 = 0;
const RDB_ENC_INT16 = 1;
const RDB_ENC_INT32 = 2;
const RDB_ENC_LZF = 3;

/** A malformed payload body (Redis answers "Bad data format"). */
export class RdbFormatError extends Error {
  constructor(message = "bad RDB data") {
    super(message);
    this.name = "RdbFormatError";
  }
}

/**
 * The configuration parameters serialization depends on (a subset of the server's Config):
 * `rdbcompression`, and the encoding limits loaders apply (`hash-max-listpack-entries`, ...).
 */
export interface RdbConfig {
  get(name: string): string;
  getNumber(name: string): number;
}

/** Redis's defaults for the parameters serialization reads, used when no config is given. */
const DEFAULT_CONFIG_VALUES: Record<string, string> = {
  rdbcompression: "yes",
  "sanitize-dump-payload": "no",
  "hash-max-listpack-entries": "128",
  "hash-max-listpack-value": "64",
  "set-max-intset-entries": "512",
  "zset-max-listpack-entries": "128",
  "zset-max-listpack-value": "64",
  "list-max-listpack-size": "-2",
  "list-compress-depth": "0",
};

/** A configuration holding Redis's defaults (for callers without a server, e.g. tests). */
export const defaultRdbConfig: RdbConfig = {
  get(name: string): string {
    const v = DEFAULT_CONFIG_VALUES[name];
    if (v === undefined) throw new Error(`no default for config parameter '${name}'`);
    return v;
  },
  getNumber(name: string): number {
    return Number(defaultRdbConfig.get(name));
  },
};

// ---------------------------------------------------------------------------------------------
// CRC64 (Jones polynomial, reflected, as Redis's crc64.c)
// ---------------------------------------------------------------------------------------------

/** Table of the reflected Jones polynomial 0xad93d23594c935a9, split into 32-bit halves. */
const CRC_LO = new Uint32Array(256);
const CRC_HI = new Uint32Array(256);
{
  // Bit-reversed polynomial: 0x95ac9329ac4bc9b5.
  const polyHi = 0x95ac9329;
  const polyLo = 0xac4bc9b5;
  for (let i = 0; i < 256; i++) {
    let lo = i;
    let hi = 0;
    for (let b = 0; b < 8; b++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        lo = (lo ^ polyLo) >>> 0;
        hi = (hi ^ polyHi) >>> 0;
      }
    }
    CRC_LO[i] = lo;
    CRC_HI[i] = hi;
  }
}

/** Redis's crc64(0, data): returns the CRC as 8 little-endian bytes, as DUMP stores it. */
export function crc64(data: Uint8Array, start = 0, end = data.length): Buffer {
  let lo = 0;
  let hi = 0;
  for (let i = start; i < end; i++) {
    const idx = (lo ^ data[i]!) & 0xff;
    // crc = table[idx] ^ (crc >> 8)
    const shiftedLo = ((lo >>> 8) | ((hi & 0xff) << 24)) >>> 0;
    const shiftedHi = hi >>> 8;
    lo = (CRC_LO[idx]! ^ shiftedLo) >>> 0;
    hi = (CRC_HI[idx]! ^ shiftedHi) >>> 0;
  }
  const out = Buffer.alloc(8);
  out.writeUInt32LE(lo, 0);
  out.writeUInt32LE(hi, 4);
  return out;
}

// ---------------------------------------------------------------------------------------------
// LZF (the compressor redis-server links, and the format's decompressor)
// ---------------------------------------------------------------------------------------------

/*
 * The compressor is liblzf's lzf_compress with HLOG 16, VERY_FAST and the shift-based hash, which
 * is what the reference redis-server 7.0.15 (Debian's, linked to liblzf 3.6) produces: checked
 * byte for byte on thousands of strings. Upstream Redis's bundled copy also refuses matches that
 * start within 4 bytes of the end, which gives different (equally valid) bytes for some inputs.
 * The hash table starts empty on every call; liblzf leaves it uninitialized, so a real server may
 * rarely find an extra match through a stale entry.
 */
const LZF_HLOG = 16;
const LZF_HSIZE = 1 << LZF_HLOG;
const LZF_MAX_LIT = 1 << 5;
const LZF_MAX_OFF = 1 << 13;
const LZF_MAX_REF = (1 << 8) + (1 << 3);
/** Hash table of input positions; 0 means empty (position 0 is never a valid back reference). */
const lzfTable = new Int32Array(LZF_HSIZE);

/** liblzf's hash of the 3 bytes in the low bits of `h` (IDX, VERY_FAST variant). */
function lzfIndex(h: number): number {
  return ((h >>> (3 * 8 - LZF_HLOG)) - Math.imul(h, 5)) & (LZF_HSIZE - 1);
}

/**
 * Compresses `input` like liblzf's lzf_compress (VERY_FAST, HLOG 16) into at most `outLen` bytes.
 * Returns null when the result would not fit (lzf_compress returning 0).
 */
export function lzfCompress(input: Uint8Array, outLen: number): Uint8Array | null {
  const inLen = input.length;
  if (inLen === 0 || outLen <= 0) return null;
  const out = new Uint8Array(outLen);
  const htab = lzfTable;
  htab.fill(0);
  const inEnd = inLen;
  const outEnd = outLen;
  let ip = 0;
  let op = 0;
  let lit = 0;
  op++; // start run
  let hval = (input[0]! << 8) | input[1]!;
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]!) >>> 0;
    const slot = lzfIndex(hval);
    const ref = htab[slot]!;
    htab[slot] = ip;
    const off = ip - ref - 1;
    if (
      ref > 0 &&
      off >= 0 &&
      off < LZF_MAX_OFF &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      let len = 2;
      let maxlen = inEnd - ip - len;
      if (maxlen > LZF_MAX_REF) maxlen = LZF_MAX_REF;
      if (op + 3 + 1 >= outEnd && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return null;
      out[op - lit - 1] = lit - 1; // stop run
      if (lit === 0) op--; // undo run if length is zero
      // The unrolled first 16 comparisons of liblzf run without a bound check when maxlen > 16.
      let mismatch = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++;
          if (input[ref + len] !== input[ip + len]) {
            mismatch = true;
            break;
          }
        }
      }
      if (!mismatch) {
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2; // now #octets - 1
      ip++;
      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start run
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      // VERY_FAST: hash the last two positions of the match.
      ip -= 2;
      hval = (input[ip]! << 8) | input[ip + 1]!;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[lzfIndex(hval)] = ip;
      ip++;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[lzfIndex(hval)] = ip;
      ip++;
    } else {
      if (op >= outEnd) return null;
      lit++;
      out[op++] = input[ip++]!;
      if (lit === LZF_MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outEnd) return null; // at most 3 bytes can be missing here
  while (ip < inEnd) {
    lit++;
    out[op++] = input[ip++]!;
    if (lit === LZF_MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1; // end run
  if (lit === 0) op--;
  return out.subarray(0, op);
}

/**
 * Decompresses LZF data into `out` like liblzf's lzf_decompress, with its input checks. Returns
 * the number of bytes written, or 0 on corrupt input or when `out` is too small (as liblzf does,
 * so callers comparing with the expected size accept anything for an expected size of 0).
 */
export function lzfDecompress(input: Uint8Array, out: Uint8Array): number {
  const inEnd = input.length;
  const outEnd = out.length;
  let ip = 0;
  let op = 0;
  do {
    if (ip >= inEnd) return 0;
    let ctrl = input[ip++]!;
    if (ctrl < 1 << 5) {
      ctrl++;
      if (op + ctrl > outEnd) return 0;
      if (ip + ctrl > inEnd) return 0;
      for (let i = 0; i < ctrl; i++) out[op++] = input[ip++]!;
    } else {
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= inEnd) return 0;
      if (len === 7) {
        len += input[ip++]!;
        if (ip >= inEnd) return 0;
      }
      ref -= input[ip++]!;
      if (op + len + 2 > outEnd) return 0;
      if (ref < 0) return 0;
      len += 2;
      for (let i = 0; i < len; i++) out[op++] = out[ref++]!;
    }
  } while (ip < inEnd);
  return op;
}

// ---------------------------------------------------------------------------------------------
// Writer and reader
// ---------------------------------------------------------------------------------------------

/** Builds an RDB byte stream (Redis's rio buffer target). */
export class RdbWriter {
  private buf: Buffer = Buffer.allocUnsafe(64);
  private used = 0;
  /** Whether strings longer than 20 bytes are LZF-compressed when that helps (rdbcompression). */
  private readonly compress: boolean;

  constructor(readonly config: RdbConfig = defaultRdbConfig) {
    this.compress = config.get("rdbcompression") === "yes";
  }

  /** Bytes written so far. */
  get size(): number {
    return this.used;
  }

  private reserve(n: number): void {
    if (this.used + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.used + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }

  /** One byte. */
  byte(b: number): void {
    this.reserve(1);
    this.buf[this.used++] = b & 0xff;
  }

  /** Raw bytes: a Uint8Array, or a latin1 string (one char per byte). */
  raw(bytes: Uint8Array | string): void {
    this.reserve(bytes.length);
    if (typeof bytes === "string") this.used += this.buf.write(bytes, this.used, "latin1");
    else {
      this.buf.set(bytes, this.used);
      this.used += bytes.length;
    }
  }

  /** A length with RDB's variable-size prefix (rdbSaveLen). */
  length(n: number): void {
    if (n < 1 << 6) {
      this.byte((RDB_6BITLEN << 6) | n);
    } else if (n < 1 << 14) {
      this.byte((RDB_14BITLEN << 6) | ((n >> 8) & 0xff));
      this.byte(n & 0xff);
    } else if (n <= 0xffffffff) {
      this.byte(RDB_32BITLEN);
      this.reserve(4);
      this.buf.writeUInt32BE(n, this.used);
      this.used += 4;
    } else {
      this.byte(RDB_64BITLEN);
      this.reserve(8);
      this.buf.writeBigUInt64BE(BigInt(n), this.used);
      this.used += 8;
    }
  }

  /**
   * A string (rdbSaveRawString): as an integer encoding when it is the canonical form of a 32-bit
   * integer, LZF-compressed when longer than 20 bytes and compressible, else length + bytes.
   */
  string(value: string): void {
    const n = value.length;
    if (n <= 11) {
      const v = parseInt64(value);
      if (v !== undefined && this.tryInteger(v)) return;
    }
    if (n > 20 && this.compress) {
      const compressed = lzfCompress(Buffer.from(value, "latin1"), n - 4);
      if (compressed) {
        this.lzfBlob(compressed, n);
        return;
      }
    }
    this.length(n);
    if (n > 0) this.raw(value);
  }

  /**
   * A binary blob as a string (rdbSaveRawString on an encoded listpack, intset or ziplist): the
   * same rules as {@link string}, without converting the bytes to a JS string.
   */
  bytes(data: Uint8Array): void {
    const n = data.length;
    if (n <= 11) {
      const v = parseInt64(latin1Slice(Buffer.from(data.buffer, data.byteOffset, n), 0, n));
      if (v !== undefined && this.tryInteger(v)) return;
    }
    if (n > 20 && this.compress) {
      const compressed = lzfCompress(data, n - 4);
      if (compressed) {
        this.lzfBlob(compressed, n);
        return;
      }
    }
    this.length(n);
    if (n > 0) this.raw(data);
  }

  /** Already LZF-compressed data of `originalLength` bytes (rdbSaveLzfBlob). */
  lzfBlob(compressed: Uint8Array, originalLength: number): void {
    this.byte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
    this.length(compressed.length);
    this.length(originalLength);
    this.raw(compressed);
  }

  /** An integer as a string object (rdbSaveLongLongAsStringObject). */
  integerString(v: bigint): void {
    if (this.tryInteger(v)) return;
    const text = v.toString();
    this.length(text.length);
    this.raw(text);
  }

  /** Writes the RDB integer encoding of `v` if it fits 32 bits (rdbEncodeInteger). */
  private tryInteger(v: bigint): boolean {
    const n = Number(v);
    if (n >= -(1 << 7) && n <= (1 << 7) - 1) {
      this.byte((RDB_ENCVAL << 6) | RDB_ENC_INT8);
      this.byte(n & 0xff);
    } else if (n >= -(1 << 15) && n <= (1 << 15) - 1) {
      this.byte((RDB_ENCVAL << 6) | RDB_ENC_INT16);
      this.byte(n & 0xff);
      this.byte((n >> 8) & 0xff);
    } else if (n >= -(2 ** 31) && n <= 2 ** 31 - 1) {
      this.byte((RDB_ENCVAL << 6) | RDB_ENC_INT32);
      this.reserve(4);
      this.buf.writeInt32LE(n, this.used);
      this.used += 4;
    } else {
      return false;
    }
    return true;
  }

  /** A double as 8 little-endian IEEE 754 bytes (rdbSaveBinaryDoubleValue). */
  binaryDouble(d: number): void {
    this.reserve(8);
    this.buf.writeDoubleLE(d, this.used);
    this.used += 8;
  }

  /** A 64-bit little-endian unsigned integer (rdbSaveMillisecondTime and module data). */
  uint64LE(v: bigint): void {
    this.reserve(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, v), this.used);
    this.used += 8;
  }

  /** The bytes written. */
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.used);
  }
}

/** Reads an RDB byte stream; every read past the end throws {@link RdbFormatError}. */
export class RdbReader {
  pos = 0;
  constructor(
    readonly buf: Buffer,
    readonly config: RdbConfig = defaultRdbConfig,
  ) {}

  /** One byte. */
  byte(): number {
    if (this.pos >= this.buf.length) throw new RdbFormatError("short read");
    return this.buf[this.pos++]!;
  }

  /** `n` raw bytes. */
  raw(n: number): Buffer {
    if (n < 0 || this.pos + n > this.buf.length) throw new RdbFormatError("short read");
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A length prefix (rdbLoadLenByRef): the value and whether it is a special encoding. */
  lengthOrEncoding(): { value: number; encoded: boolean } {
    const first = this.byte();
    const kind = (first & 0xc0) >> 6;
    if (kind === RDB_ENCVAL) return { value: first & 0x3f, encoded: true };
    if (kind === RDB_6BITLEN) return { value: first & 0x3f, encoded: false };
    if (kind === RDB_14BITLEN) return { value: ((first & 0x3f) << 8) | this.byte(), encoded: false };
    if (first === RDB_32BITLEN) return { value: this.raw(4).readUInt32BE(0), encoded: false };
    if (first === RDB_64BITLEN) {
      const v = this.raw(8).readBigUInt64BE(0);
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RdbFormatError("length too large");
      return { value: Number(v), encoded: false };
    }
    throw new RdbFormatError("unknown length encoding");
  }

  /** A plain length (rdbLoadLen); special encodings are errors here. */
  length(): number {
    const { value, encoded } = this.lengthOrEncoding();
    if (encoded) throw new RdbFormatError("unexpected encoded length");
    return value;
  }

  /** A string object (rdbGenericLoadStringObject), as a latin1 string. */
  string(): string {
    const { value, encoded } = this.lengthOrEncoding();
    if (!encoded) return latin1Slice(this.raw(value), 0, value);
    if (value === RDB_ENC_LZF) {
      const plain = this.lzfString();
      return latin1Slice(plain, 0, plain.length);
    }
    return this.integerString(value);
  }

  /**
   * A string object as bytes (rdbGenericLoadStringObject with RDB_LOAD_PLAIN), for binary blobs
   * such as listpacks. Plain strings are views into the payload (not copies).
   */
  bytes(): Buffer {
    const { value, encoded } = this.lengthOrEncoding();
    if (!encoded) return this.raw(value);
    if (value === RDB_ENC_LZF) return this.lzfString();
    return Buffer.from(this.integerString(value), "latin1");
  }

  /** The decimal text of an integer-encoded string (rdbLoadIntegerObject). */
  private integerString(enc: number): string {
    switch (enc) {
      case RDB_ENC_INT8:
        return String(this.raw(1).readInt8(0));
      case RDB_ENC_INT16:
        return String(this.raw(2).readInt16LE(0));
      case RDB_ENC_INT32:
        return String(this.raw(4).readInt32LE(0));
      default:
        throw new RdbFormatError("unknown string encoding");
    }
  }

  /** The body of an LZF-compressed string (rdbLoadLzfStringObject), decompressed. */
  private lzfString(): Buffer {
    const clen = this.length();
    const len = this.length();
    const data = this.raw(clen);
    // LZF expands at most 264 bytes per 3 input bytes: anything more cannot decompress.
    if (len > clen * 88 + 64) throw new RdbFormatError("invalid LZF compressed string");
    const plain = Buffer.alloc(len);
    if (lzfDecompress(data, plain) !== len) throw new RdbFormatError("invalid LZF compressed string");
    return plain;
  }

  /** A double as 8 little-endian IEEE 754 bytes (rdbLoadBinaryDoubleValue). */
  binaryDouble(): number {
    return this.raw(8).readDoubleLE(0);
  }

  /** A 64-bit little-endian unsigned integer. */
  uint64LE(): bigint {
    return this.raw(8).readBigUInt64LE(0);
  }
}

// ---------------------------------------------------------------------------------------------
// Object (de)serialization and DUMP payloads
// ---------------------------------------------------------------------------------------------

/**
 * Writes a collection's type byte and body (rdbSaveObjectType + rdbSaveObject); the writer's
 * `config` holds the server configuration.
 */
export type RdbSaver = (w: RdbWriter, value: CollectionValue) => void;
/**
 * Reads one object body of a given type byte (rdbLoadObject); throws RdbFormatError. The reader's
 * `config` gives the encoding limits to apply.
 */
export type RdbLoader = (r: RdbReader, type: number) => RedisValue;

const savers = new Map<CollectionValue["type"], RdbSaver>();
const loaders = new Map<number, RdbLoader>();

/** Registers how values of a collection type are serialized (its family module calls this). */
export function registerRdbSaver(type: CollectionValue["type"], saver: RdbSaver): void {
  savers.set(type, saver);
}

/** Registers how payloads of an RDB type byte are loaded. */
export function registerRdbLoader(typeByte: number, loader: RdbLoader): void {
  loaders.set(typeByte, loader);
}

registerRdbLoader(RdbType.STRING, (r) => r.string());

/** True if {@link saveObject} can serialize this value. */
export function canSerialize(value: RedisValue): boolean {
  return typeof value === "string" || value.type === "string" || savers.has(value.type);
}

/** Writes a value's type byte and body. Throws for types with no registered saver. */
export function saveObject(w: RdbWriter, value: RedisValue): void {
  if (typeof value === "string" || value.type === "string") {
    w.byte(RdbType.STRING);
    w.string(stringBytes(value as StringValue));
    return;
  }
  const saver = savers.get(value.type);
  if (!saver) throw new Error(`no RDB serializer for type ${value.type}`);
  saver(w, value as CollectionValue);
}

/** Reads a type byte and the object after it. Throws RdbFormatError for unknown types or bad data. */
export function loadObject(r: RdbReader): RedisValue {
  const type = r.byte();
  const loader = loaders.get(type);
  if (!loader) throw new RdbFormatError(`unsupported RDB type ${type}`);
  return loader(r, type);
}

/** DUMP's serialization of a value (createDumpPayload), under the server's configuration. */
export function createDumpPayload(value: RedisValue, config: RdbConfig = defaultRdbConfig): Buffer {
  const w = new RdbWriter(config);
  saveObject(w, value);
  w.byte(RDB_VERSION & 0xff);
  w.byte((RDB_VERSION >> 8) & 0xff);
  const body = w.toBuffer();
  const crc = crc64(body);
  return Buffer.concat([body, crc]);
}

/**
 * Checks a DUMP payload's footer (verifyDumpPayload): at least 10 bytes, an RDB version not newer
 * than this server's, and a matching CRC64.
 */
export function verifyDumpPayload(payload: Buffer): boolean {
  const n = payload.length;
  if (n < 10) return false;
  const version = payload[n - 10]! | (payload[n - 9]! << 8);
  if (version > RDB_VERSION) return false;
  return crc64(payload, 0, n - 8).equals(payload.subarray(n - 8));
}

/**
 * The value inside a verified DUMP payload. Like Redis, the object is read from the start of the
 * payload and bytes between it and the footer are ignored; the configuration gives the encoding
 * limits loaders apply. Throws RdbFormatError.
 */
export function loadDumpPayload(payload: Buffer, config: RdbConfig = defaultRdbConfig): RedisValue {
  return loadObject(new RdbReader(payload, config));
}
