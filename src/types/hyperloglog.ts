/**
 * HyperLogLog values: Redis's exact HYLL string representation (hyperloglog.c of Redis 7.0), so
 * GET/SET/DUMP of an HLL key move the same bytes as Redis. A 16-byte header ("HYLL", encoding byte,
 * 3 unused bytes, cached cardinality as 8 little-endian bytes whose top bit flags it stale), then
 * 16384 registers: dense (6 bits each, little-endian bit order) or sparse (ZERO / XZERO / VAL
 * run-length opcodes). Written by hand: no npm package implements Redis's byte format.
 *
 * Values being edited are {@link RawString}s changed in place; reads take any byte buffer.
 */
import { RawString, type StringValue } from "./string.js";

/** Registers index bits (HLL_P). */
export const HLL_P = 14;
/** Hash bits left for the run length (HLL_Q). */
const HLL_Q = 64 - HLL_P;
/** Number of registers. */
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_P_MASK = HLL_REGISTERS - 1;
const HLL_BITS = 6;
const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
/** Header size in bytes. */
export const HLL_HDR_SIZE = 16;
/** Size of a dense HLL in bytes. */
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + ((HLL_REGISTERS * HLL_BITS + 7) >> 3);
/** Encoding byte values. */
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_MAX_ENCODING = 1;

const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
/** 0.5 / ln(2) (HLL_ALPHA_INF). */
const HLL_ALPHA_INF = 0.7213475204444817;

// ---- MurmurHash64A on 32-bit halves (no BigInt on the hot path) ----

/** Halves of the multiplier 0xc6a4a7935bd1e995. */
const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
const SEED = 0xadc83b19;

/** Result registers of {@link mulM} and {@link murmurHash64A}. */
let rHi = 0;
let rLo = 0;

/** (hi:lo) × M modulo 2^64 into rHi:rLo. */
function mulM(hi: number, lo: number): void {
  const a0 = lo & 0xffff;
  const a1 = lo >>> 16;
  const p00 = a0 * 0xe995;
  const p01 = a0 * 0x5bd1;
  const p10 = a1 * 0xe995;
  const p11 = a1 * 0x5bd1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  rLo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const carry = p11 + (p01 >>> 16) + (p10 >>> 16) + Math.floor(mid / 65536);
  rHi = (carry + Math.imul(lo, M_HI) + Math.imul(hi, M_LO)) >>> 0;
}

/**
 * Redis's MurmurHash64A of a latin1 string with seed 0xadc83b19, reading 8-byte blocks little
 * endian as Redis does on x86. The hash is left in rHi:rLo.
 */
function murmurHash64A(s: string): void {
  const len = s.length;
  mulM(0, len);
  let hHi = rHi;
  let hLo = (rLo ^ SEED) >>> 0;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    const kLo =
      s.charCodeAt(i) |
      (s.charCodeAt(i + 1) << 8) |
      (s.charCodeAt(i + 2) << 16) |
      (s.charCodeAt(i + 3) << 24);
    const kHi =
      s.charCodeAt(i + 4) |
      (s.charCodeAt(i + 5) << 8) |
      (s.charCodeAt(i + 6) << 16) |
      (s.charCodeAt(i + 7) << 24);
    mulM(kHi, kLo);
    mulM(rHi, (rLo ^ (rHi >>> 15)) >>> 0);
    mulM((hHi ^ rHi) >>> 0, (hLo ^ rLo) >>> 0);
    hHi = rHi;
    hLo = rLo;
  }
  const rest = len & 7;
  if (rest !== 0) {
    for (let j = rest - 1; j >= 0; j--) {
      const b = s.charCodeAt(i + j);
      if (j >= 4) hHi ^= b << ((j - 4) * 8);
      else hLo ^= b << (j * 8);
    }
    mulM(hHi >>> 0, hLo >>> 0);
    hHi = rHi;
    hLo = rLo;
  }
  mulM(hHi, (hLo ^ (hHi >>> 15)) >>> 0);
  rLo = (rLo ^ (rHi >>> 15)) >>> 0;
}

/** 64-bit MurmurHash64A of `s` as a BigInt (tests and diagnostics). */
export function murmurHash64ABig(s: string): bigint {
  murmurHash64A(s);
  return (BigInt(rHi) << 32n) | BigInt(rLo);
}

/** Register index of the last {@link hllPatLen}. */
let patIndex = 0;

/** Count of trailing zeros of a non-zero 32-bit value. */
function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * Redis's hllPatLen: hashes the element, leaves its register index in `patIndex` and returns the
 * length of the "000..1" run after the index bits (1..51).
 */
function hllPatLen(ele: string): number {
  murmurHash64A(ele);
  return patLenOfHash();
}

/** hllPatLen's computation on the hash in rHi:rLo. */
function patLenOfHash(): number {
  patIndex = rLo & HLL_P_MASK;
  // hash >> 14 with bit 50 set so the count stops at Q+1.
  const lo = ((rLo >>> HLL_P) | (rHi << (32 - HLL_P))) >>> 0;
  const hi = (rHi >>> HLL_P) | (1 << (HLL_Q - 32));
  return (lo !== 0 ? ctz32(lo) : 32 + ctz32(hi)) + 1;
}

/** Register index and count for an element (tests and diagnostics). */
export function patternOf(ele: string): { index: number; count: number } {
  const count = hllPatLen(ele);
  return { index: patIndex, count };
}

// ---- header ----

/** True when `v` is a string Redis accepts as an HLL (isHLLObjectOrReply). */
export function isHllValue(v: StringValue): boolean {
  const len = v.length;
  if (len < HLL_HDR_SIZE) return false;
  let magic: number;
  let enc: number;
  if (typeof v === "string") {
    if (v.charCodeAt(0) !== 72 || v.charCodeAt(1) !== 89 || v.charCodeAt(2) !== 76 || v.charCodeAt(3) !== 76)
      return false;
    enc = v.charCodeAt(4);
  } else {
    magic = v.buf.readUInt32BE(0);
    if (magic !== 0x48594c4c /* HYLL */) return false;
    enc = v.buf[4]!;
  }
  if (enc > HLL_MAX_ENCODING) return false;
  return !(enc === HLL_DENSE && len !== HLL_DENSE_SIZE);
}

/** The bytes of a string value as a buffer holding at least `length` bytes (a view for RawStrings). */
export function hllBytes(v: StringValue): Buffer {
  return typeof v === "string" ? Buffer.from(v, "latin1") : v.buf;
}

/** An empty HLL: sparse, one XZERO opcode covering every register, cached cardinality 0. */
export function createHll(): RawString {
  const raw = new RawString(Buffer.alloc(0), HLL_HDR_SIZE + 2 + 3);
  raw.ensureLength(HLL_HDR_SIZE + 2);
  const buf = raw.buf;
  buf.write("HYLL", 0, "latin1");
  buf[4] = HLL_SPARSE;
  let p = HLL_HDR_SIZE;
  for (let aux = HLL_REGISTERS; aux > 0;) {
    const xzero = Math.min(aux, SPARSE_XZERO_MAX_LEN);
    setXzero(buf, p, xzero);
    p += 2;
    aux -= xzero;
  }
  return raw;
}

/** Whether the cached cardinality is valid. */
export function hllCacheValid(buf: Buffer): boolean {
  return (buf[15]! & 0x80) === 0;
}

/** Marks the cached cardinality stale. */
export function hllInvalidateCache(buf: Buffer): void {
  buf[15] = buf[15]! | 0x80;
}

/** The cached cardinality (caller checks it is valid); any 63-bit value for a hand-made string. */
export function hllCachedCard(buf: Buffer): number | bigint {
  const hi = buf.readUInt32LE(12);
  return hi < 0x200000 ? hi * 0x100000000 + buf.readUInt32LE(8) : buf.readBigUInt64LE(8);
}

/** Stores a cardinality in the header cache. */
export function hllSetCachedCard(buf: Buffer, card: number): void {
  buf.writeUInt32LE(card % 0x100000000, 8);
  buf.writeUInt32LE(Math.floor(card / 0x100000000), 12);
}

// ---- dense registers ----

/** Register `reg` of a dense HLL whose registers start at `base`. */
function denseGet(buf: Buffer, base: number, reg: number): number {
  const bit = reg * HLL_BITS;
  const byte = base + (bit >>> 3);
  const fb = bit & 7;
  // The byte after the last register reads as 0, like the sds terminator in Redis.
  const b1 = byte + 1 < buf.length ? buf[byte + 1]! : 0;
  return ((buf[byte]! >>> fb) | (b1 << (8 - fb))) & HLL_REGISTER_MAX;
}

/** Sets register `reg` of a dense HLL to `val`. */
function denseSetRaw(buf: Buffer, base: number, reg: number, val: number): void {
  const bit = reg * HLL_BITS;
  const byte = base + (bit >>> 3);
  const fb = bit & 7;
  const fb8 = 8 - fb;
  buf[byte] = (buf[byte]! & ~(HLL_REGISTER_MAX << fb)) | ((val << fb) & 0xff);
  if (byte + 1 < buf.length) buf[byte + 1] = (buf[byte + 1]! & ~(HLL_REGISTER_MAX >>> fb8)) | (val >>> fb8);
}

/** Redis's hllDenseSet: raises a register to `count` if larger; 1 when changed. */
function denseSet(buf: Buffer, reg: number, count: number): number {
  if (count > denseGet(buf, HLL_HDR_SIZE, reg)) {
    denseSetRaw(buf, HLL_HDR_SIZE, reg, count);
    return 1;
  }
  return 0;
}

// ---- sparse opcodes ----

const isZero = (b: number): boolean => (b & 0xc0) === 0;
const isXzero = (b: number): boolean => (b & 0xc0) === 0x40;
const zeroLen = (b: number): number => (b & 0x3f) + 1;
const xzeroLen = (b: number, b2: number): number => (((b & 0x3f) << 8) | b2) + 1;
const valValue = (b: number): number => ((b >>> 2) & 0x1f) + 1;
const valLen = (b: number): number => (b & 0x3) + 1;
const valByte = (val: number, len: number): number => (((val - 1) << 2) | (len - 1) | 0x80) & 0xff;

function setXzero(buf: Buffer | number[], p: number, len: number): void {
  const l = len - 1;
  buf[p] = (l >> 8) | 0x40;
  buf[p + 1] = l & 0xff;
}

/** Byte `i` of a value of `len` bytes; past the end reads 0 (Redis's sds terminator). */
function byteOr0(buf: Buffer, len: number, i: number): number {
  return i < len ? buf[i]! : 0;
}

/**
 * Walks the opcodes of a sparse HLL of `len` bytes, calling `run(first, runlen, value, opcode)` for
 * each (value 0 for ZERO and XZERO; `opcode` is its first byte). With `stopOnOverflow`, stops at a VAL run that would pass the last
 * register, as Redis's converting loops do. Returns the number of registers walked, which is
 * HLL_REGISTERS for valid data.
 */
function walkSparse(
  buf: Buffer,
  len: number,
  stopOnOverflow: boolean,
  run: (first: number, runlen: number, value: number, opcode: number) => void,
): number {
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < len) {
    const b = buf[p]!;
    let runlen: number;
    let value = 0;
    if (isZero(b)) {
      runlen = zeroLen(b);
      p++;
    } else if (isXzero(b)) {
      runlen = xzeroLen(b, byteOr0(buf, len, p + 1));
      p += 2;
    } else {
      runlen = valLen(b);
      value = valValue(b);
      if (stopOnOverflow && runlen + idx > HLL_REGISTERS) break;
      p++;
    }
    run(idx, runlen, value, b);
    idx += runlen;
  }
  return idx;
}

/**
 * Redis's hllSparseToDense: rewrites a sparse HLL as dense in place (header copied, encoding
 * changed). Returns false, changing nothing, if the sparse data does not cover exactly all
 * registers.
 */
export function hllSparseToDense(raw: RawString): boolean {
  const src = raw.buf;
  const end = raw.length;
  if (src[4] === HLL_DENSE) return true;
  const dense = Buffer.alloc(HLL_DENSE_SIZE + 1);
  src.copy(dense, 0, 0, HLL_HDR_SIZE);
  dense[4] = HLL_DENSE;
  const idx = walkSparse(src, end, true, (first, runlen, value) => {
    if (value !== 0) for (let i = first; i < first + runlen; i++) denseSetRaw(dense, HLL_HDR_SIZE, i, value);
  });
  if (idx !== HLL_REGISTERS) return false;
  raw.buf = dense;
  raw.length = HLL_DENSE_SIZE;
  return true;
}

/**
 * Redis's hllSparseSet: raises register `index` to `count` in a sparse HLL, splitting and merging
 * opcodes in place, promoting to dense when the value does not fit a VAL opcode or the string
 * would outgrow `sparseMaxBytes`. Returns 1 if changed, 0 if not, -1 if the data is corrupt.
 */
function sparseSet(raw: RawString, index: number, count: number, sparseMaxBytes: number): number {
  if (count > SPARSE_VAL_MAX_VALUE) return promote(raw, index, count);
  // Room for the worst case (XZERO split into XZERO-VAL-XZERO), zero-filled.
  const before = raw.length;
  raw.ensureLength(before + 3);
  raw.length = before;
  let buf = raw.buf;
  const sparse = HLL_HDR_SIZE;
  let end = before;
  let p = sparse;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    const b = buf[p]!;
    let oplen = 1;
    if (isZero(b)) span = zeroLen(b);
    else if (!isXzero(b)) span = valLen(b);
    else {
      span = xzeroLen(b, buf[p + 1]!);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;
  const op = buf[p]!;
  let next = isXzero(op) ? p + 2 : p + 1;
  if (next >= end) next = -1;
  const zero = isZero(op);
  const xzero = isXzero(op);
  const runlen = zero ? zeroLen(op) : xzero ? xzeroLen(op, buf[p + 1]!) : valLen(op);
  let updated = false;
  if (!zero && !xzero) {
    if (valValue(op) >= count) return 0;
    if (runlen === 1) {
      buf[p] = valByte(count, 1);
      updated = true;
    }
  }
  if (!updated && zero && runlen === 1) {
    buf[p] = valByte(count, 1);
    updated = true;
  }
  if (!updated) {
    const seq: number[] = [];
    const last = first + span - 1;
    const pushZeros = (len: number): void => {
      if (len > SPARSE_ZERO_MAX_LEN) {
        const l = len - 1;
        seq.push((l >> 8) | 0x40, l & 0xff);
      } else seq.push(len - 1);
    };
    if (zero || xzero) {
      if (index !== first) pushZeros(index - first);
      seq.push(valByte(count, 1));
      if (index !== last) pushZeros(last - index);
    } else {
      const curval = valValue(op);
      if (index !== first) seq.push(valByte(curval, index - first));
      seq.push(valByte(count, 1));
      if (index !== last) seq.push(valByte(curval, last - index));
    }
    const oldlen = xzero ? 2 : 1;
    const delta = seq.length - oldlen;
    if (delta > 0 && raw.length + delta > sparseMaxBytes) return promote(raw, index, count);
    if (delta !== 0 && next !== -1) buf.copyWithin(next + delta, next, end);
    raw.length += delta;
    for (let i = 0; i < seq.length; i++) buf[p + i] = seq[i]!;
    end += delta;
    if (delta < 0) buf.fill(0, end, end - delta);
  }
  // Merge adjacent VAL opcodes with the same value, scanning up to 5 opcodes from prev.
  buf = raw.buf;
  p = prev !== -1 ? prev : sparse;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const b = buf[p]!;
    if (isXzero(b)) {
      p += 2;
      continue;
    } else if (isZero(b)) {
      p++;
      continue;
    }
    if (p + 1 < end && !isZero(buf[p + 1]!) && !isXzero(buf[p + 1]!)) {
      const v1 = valValue(b);
      const b2 = buf[p + 1]!;
      if (v1 === valValue(b2)) {
        const len = valLen(b) + valLen(b2);
        if (len <= SPARSE_VAL_MAX_LEN) {
          buf[p + 1] = valByte(v1, len);
          buf.copyWithin(p, p + 1, end);
          raw.length--;
          end--;
          buf[end] = 0;
          continue;
        }
      }
    }
    p++;
  }
  hllInvalidateCache(buf);
  return 1;
}

/** The promotion path of hllSparseSet: convert to dense, then set the register there. */
function promote(raw: RawString, index: number, count: number): number {
  if (!hllSparseToDense(raw)) return -1;
  denseSet(raw.buf, index, count);
  return 1;
}

/**
 * Redis's hllAdd: adds an element to an HLL value (checked valid). Returns 1 if a register
 * changed, 0 if not, -1 if the data is corrupt.
 */
export function hllAdd(raw: RawString, ele: string, sparseMaxBytes: number): number {
  const count = hllPatLen(ele);
  const enc = raw.buf[4];
  if (enc === HLL_DENSE) return denseSet(raw.buf, patIndex, count);
  if (enc === HLL_SPARSE) return sparseSet(raw, patIndex, count, sparseMaxBytes);
  return -1;
}

/** Redis's hllDenseSet/hllSparseSet for one register (PFMERGE). */
export function hllSetRegister(raw: RawString, index: number, count: number, sparseMaxBytes: number): void {
  if (raw.buf[4] === HLL_DENSE) denseSet(raw.buf, index, count);
  else sparseSet(raw, index, count, sparseMaxBytes);
}

/**
 * Visits every register of a dense HLL in order, four at a time from each 3 bytes (6-bit
 * registers, least significant bits first), which reads the same values as {@link denseGet}.
 */
function forEachDenseRegister(buf: Buffer, visit: (index: number, value: number) => void): void {
  for (let i = 0, p = HLL_HDR_SIZE; i < HLL_REGISTERS; i += 4, p += 3) {
    const b0 = buf[p]!;
    const b1 = buf[p + 1]!;
    const b2 = buf[p + 2]!;
    visit(i, b0 & 63);
    visit(i + 1, ((b0 >>> 6) | (b1 << 2)) & 63);
    visit(i + 2, ((b1 >>> 4) | (b2 << 4)) & 63);
    visit(i + 3, b2 >>> 2);
  }
}

/**
 * Redis's hllMerge: max[i] = max(max[i], register i) over an HLL value of `len` bytes in `buf`.
 * Returns false for a corrupt sparse HLL.
 */
export function hllMerge(max: Uint8Array, buf: Buffer, len: number): boolean {
  if (buf[4] === HLL_DENSE) {
    forEachDenseRegister(buf, (i, val) => {
      if (val > max[i]!) max[i] = val;
    });
    return true;
  }
  const walked = walkSparse(buf, len, true, (first, runlen, value) => {
    for (let i = first; i < first + runlen; i++) if (value > max[i]!) max[i] = value;
  });
  return walked === HLL_REGISTERS;
}

// ---- cardinality ----

/** Ertl's sigma function (hllSigma). */
function hllSigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

/** Ertl's tau function (hllTau). */
function hllTau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/** Redis's estimator from a register histogram (Ertl's improved estimator). */
function estimate(reghisto: Int32Array): number {
  const m = HLL_REGISTERS;
  let z = m * hllTau((m - reghisto[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += reghisto[j]!;
    z *= 0.5;
  }
  z += m * hllSigma(reghisto[0]! / m);
  // llroundl: half away from zero (the value is never negative).
  return Math.round((HLL_ALPHA_INF * m * m) / z);
}

/**
 * Redis's hllCount on an HLL value of `len` bytes (checked valid): the estimated cardinality, or
 * undefined for a sparse HLL that does not cover exactly all registers.
 */
export function hllCount(buf: Buffer, len: number): number | undefined {
  const reghisto = new Int32Array(64);
  if (buf[4] === HLL_DENSE) {
    forEachDenseRegister(buf, (_i, val) => {
      reghisto[val]!++;
    });
  } else {
    const idx = walkSparse(buf, len, false, (_first, runlen, value) => {
      reghisto[value]! += runlen;
    });
    if (idx !== HLL_REGISTERS) return undefined;
  }
  return estimate(reghisto);
}

/** Cardinality of raw registers, one byte each (PFCOUNT of several keys). */
export function hllCountRegisters(max: Uint8Array): number {
  const reghisto = new Int32Array(64);
  for (let i = 0; i < HLL_REGISTERS; i++) reghisto[max[i]!]!++;
  return estimate(reghisto);
}

/** Every register of a dense HLL (PFDEBUG GETREG). */
export function hllDenseRegisters(buf: Buffer): number[] {
  const out = new Array<number>(HLL_REGISTERS);
  for (let i = 0; i < HLL_REGISTERS; i++) out[i] = denseGet(buf, HLL_HDR_SIZE, i);
  return out;
}

/** The opcodes of a sparse HLL as PFDEBUG DECODE prints them (`z:n`, `Z:n`, `v:value,n`). */
export function hllDecodeSparse(buf: Buffer, len: number): string {
  const parts: string[] = [];
  walkSparse(buf, len, false, (_first, runlen, value, opcode) => {
    if (value !== 0) parts.push(`v:${value},${runlen}`);
    else parts.push(`${isXzero(opcode) ? "Z" : "z"}:${runlen}`);
  });
  return parts.join(" ");
}

/** MurmurHash64A of an 8-byte little-endian integer hi:lo (the self test's elements), into rHi:rLo. */
function murmurHashU64(hi: number, lo: number): void {
  mulM(0, 8);
  const hHi = rHi;
  const hLo = (rLo ^ SEED) >>> 0;
  mulM(hi, lo);
  mulM(rHi, (rLo ^ (rHi >>> 15)) >>> 0);
  mulM((hHi ^ rHi) >>> 0, (hLo ^ rLo) >>> 0);
  mulM(rHi, (rLo ^ (rHi >>> 15)) >>> 0);
  rLo = (rLo ^ (rHi >>> 15)) >>> 0;
}

/** {@link murmurHashU64} as a BigInt (tests). */
export function murmurHashU64Big(hi: number, lo: number): bigint {
  murmurHashU64(hi, lo);
  return (BigInt(rHi) << 32n) | BigInt(rLo);
}

/** Adds the 8-byte element hi:lo to a dense register buffer and to a growing HLL value. */
function selfTestAdd(dense: Buffer, hi: number, lo: number, hll: RawString, maxBytes: number): void {
  murmurHashU64(hi, lo);
  const count = patLenOfHash();
  denseSet(dense, patIndex, count);
  if (hll.buf[4] === HLL_DENSE) denseSet(hll.buf, patIndex, count);
  else sparseSet(hll, patIndex, count, maxBytes);
}

/**
 * Redis's PFSELFTEST: register access on a dense HLL with random values, then the estimation error
 * of a dense and a sparse HLL growing together (up to 10 million elements). Returns an error text
 * (without the leading `-`) or undefined on success. `rand` returns a random 31-bit integer.
 */
export function hllSelfTest(rand: () => number, sparseMaxBytes: number): string | undefined {
  const dense = Buffer.alloc(HLL_DENSE_SIZE + 1);
  dense.write("HYLL", 0, "latin1");
  const bytecounters = new Uint8Array(HLL_REGISTERS);
  for (let j = 0; j < 1000; j++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = rand() & HLL_REGISTER_MAX;
      bytecounters[i] = r;
      denseSetRaw(dense, HLL_HDR_SIZE, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const val = denseGet(dense, HLL_HDR_SIZE, i);
      if (val !== bytecounters[i]) {
        return `TESTFAILED Register ${i} should be ${bytecounters[i]} but is ${val}`;
      }
    }
  }
  dense.fill(0, HLL_HDR_SIZE);
  const sparse = createHll();
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  let checkpoint = 1;
  const seedLo = rand() >>> 0;
  const seedHi = rand() >>> 0;
  for (let j = 1; j <= 10000000; j++) {
    selfTestAdd(dense, seedHi, (j ^ seedLo) >>> 0, sparse, sparseMaxBytes);
    if (j !== checkpoint) continue;
    if (j < Math.floor(sparseMaxBytes / 2) && sparse.buf[4] !== HLL_SPARSE)
      return "TESTFAILED sparse encoding not used";
    const denseCard = hllCount(dense, HLL_DENSE_SIZE)!;
    if (denseCard !== hllCount(sparse.buf, sparse.length)) return "TESTFAILED dense/sparse disagree";
    const abserr = Math.abs(checkpoint - denseCard);
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    if (abserr > maxerr) return `TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`;
    checkpoint *= 10;
  }
  return undefined;
}
