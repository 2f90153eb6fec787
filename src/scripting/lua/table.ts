// Lua tables laid out exactly as Lua 5.1.5 lays them out (ltable.c), so that next/pairs order and
// the `#` border match lua5.1 and Redis (whose cjson, cmsgpack and pairs-built replies follow it).
//
// Written by hand from 5.1.5's behaviour: no npm package reproduces its node layout.
//
// Layout: an array part for keys 1..sizearray, and a node vector of 2^k slots (0 slots = Lua's
// shared dummy node) filled as a chained scatter table with Brent's variation: a key goes to its
// main position (its hash mod the size); on collision a free slot is taken from `lastFree`, which
// only walks down from the end; a colliding key that is not in its own main position is moved
// there instead. When no free slot is left the table is rehashed: the array part gets the largest
// power of two n with more than n/2 integer keys in 1..n, the node vector the rest.
//
// Hashes: strings as luaS_hash (every byte as Redis patched it, or sampled as stock 5.1), numbers
// by summing the two 32-bit words of the double, booleans as 0/1, all modulo the size as 5.1 does. Tables, functions, coroutines and userdata hash by
// address in C Lua; here each gets a stable sequential id instead, so their relative order is
// deterministic but unspecified (as it is in Redis, where it depends on malloc).
//
// One deliberate difference: C Lua's garbage collector marks collectable keys with nil values as
// dead, after which setting that key again allocates a new node instead of reusing the old one.
// That depends on GC timing; here a key with a nil value stays reusable until the next rehash.
//
// Lookups do not walk chains: small node vectors are scanned, larger ones have a Map from key to
// slot (the chains are still kept, they decide where new keys go). A key is in at most one slot, so
// this finds exactly what 5.1 finds.

import type { LuaValue } from "./value.js";

type Key = Exclude<LuaValue, undefined>;

/** 5.1's MAXBITS for 32-bit ints: the array part holds at most 2^26 slots. */
const MAXBITS = 26;
const MAXASIZE = 1 << MAXBITS;
/** 5.1 gives up on the doubling search of unbound_search past INT_MAX. */
const MAX_INT = 2147483647;

/** Node vectors up to this size are scanned instead of indexed by a Map. */
const SCAN_MAX = 8;

const numBuf = new Float64Array(1);
const numWords = new Uint32Array(numBuf.buffer);
const objectIds = new WeakMap<object, number>();
let lastObjectId = 0;

/** Node vector layout, 4 entries per slot: key (at +0, undefined when free), then these. */
const VAL = 1;
const NEXT = 2;
const HASH = 3;
const NO_NODES: LuaValue[] = [];

/** Scratch counts for rehash (nums[i]: integer keys in (2^(i-1), 2^i]); zeroed by each rehash. */
const nums: number[] = new Array<number>(MAXBITS + 1).fill(0);

/** Whether strings longer than 31 bytes hash only a sample of their bytes (stock 5.1). */
let sampledStringHash = false;

/**
 * Chooses the string hash: Redis patches Lua 5.1.5 to hash every byte of a string (so that long
 * keys sharing the sampled bytes cannot be made to collide), stock 5.1.5 (Debian's lua5.1) hashes
 * one byte in every `(len >> 5) + 1`. Redis's behaviour is the default; the conformance suite,
 * which compares with lua5.1, turns sampling on. Process-wide: it decides where string keys go in
 * every table created afterwards.
 */
export function setSampledStringHash(on: boolean): void {
  sampledStringHash = on;
}

/**
 * Lua 5.1's luaS_hash: seeded with the length, bytes mixed in from the end, in 32-bit unsigned
 * arithmetic (every byte, or one in every `(len >> 5) + 1` with {@link setSampledStringHash}).
 */
export function luaStringHash(s: string): number {
  const l = s.length;
  let h = l;
  const step = sampledStringHash ? (l >> 5) + 1 : 1;
  for (let i = l; i >= step; i -= step) h = (h ^ ((h << 5) + (h >>> 2) + s.charCodeAt(i - 1))) >>> 0;
  return h;
}

/** The unreduced hash of a key (reduced by {@link mainPosition}). */
function rawHash(k: Key): number {
  switch (typeof k) {
    case "string":
      return luaStringHash(k);
    case "number":
      // 5.1 sends 0 and -0 to slot 0; otherwise the double's two 32-bit words are summed.
      if (k === 0) return 0;
      numBuf[0] = k;
      return (numWords[0] + numWords[1]) >>> 0;
    case "boolean":
      return k ? 1 : 0;
    default: {
      let id = objectIds.get(k);
      if (id === undefined) {
        id = lastObjectId = (lastObjectId + 1) >>> 0;
        objectIds.set(k, id);
      }
      return id;
    }
  }
}

/** The main position of a key of hash `h` in a node vector of `size` (a power of two) slots. */
function mainPosition(k: Key, h: number, size: number): number {
  // Strings and booleans: h mod size; numbers and pointers: h mod an odd number (hashmod).
  return typeof k === "string" || typeof k === "boolean" ? h & (size - 1) : h % ((size - 1) | 1);
}

/** ceil(log2(x)) for x >= 1. */
function ceilLog2(x: number): number {
  return 32 - Math.clz32(x - 1);
}

/** 5.1's countint: counts `k` in nums when it is an integer key that could live in an array part. */
function countInt(k: LuaValue): number {
  if (typeof k === "number" && (k | 0) === k && k > 0 && k <= MAXASIZE) {
    nums[ceilLog2(k)]++;
    return 1;
  }
  return 0;
}

function nils(n: number): LuaValue[] {
  const a: LuaValue[] = [];
  for (let i = 0; i < n; i++) a.push(undefined);
  return a;
}

/**
 * A Lua table with Lua 5.1.5's array part and node vector (see the file comment). `#t` is 5.1's
 * border (luaH_getn), next/pairs visit the array part then the node vector slot by slot. Float
 * keys with an integer value are the same key as the integer (JS numbers already are); nil and NaN
 * keys are rejected by the callers before reaching here.
 */
export class LuaTable {
  /**
   * The array part: values of keys 1..arr.length (index 0 holds key 1; nil slots are undefined).
   * Its length is 5.1's sizearray and only changes on a rehash or a SETLIST that needs room.
   */
  arr: LuaValue[];
  /**
   * Redis's readonly-table patch (lua_enablereadonlytable): when set, every write through the VM,
   * rawset, setmetatable and the table library raises "Attempt to modify a readonly table".
   */
  readonly = false;
  /** The metatable, or undefined. */
  metatable: LuaTable | undefined = undefined;
  /**
   * The node vector, 4 entries per slot (KEY, VAL, NEXT, HASH). A key stays in its slot when its
   * value is set to nil (a dead key) until a rehash or until a new key takes its main position.
   */
  private node: LuaValue[] = NO_NODES;
  /** Number of slots of the node vector (0: 5.1's dummy node). */
  private nsize = 0;
  /** Every slot at or above this index has been handed out as a free position (5.1's lastfree). */
  private lastFree = 0;

  /** A table with room for `narray` array slots and `nhash` node slots (lua_createtable). */
  constructor(narray = 0, nhash = 0) {
    this.arr = narray > 0 ? nils(narray) : [];
    if (nhash > 0) this.setNodeVector(nhash);
  }

  /** Raw get (no metamethods). */
  get(k: LuaValue): LuaValue {
    if (typeof k === "number") {
      const i = k - 1;
      if (i >>> 0 === i && i < this.arr.length) return this.arr[i];
    }
    const i = this.find(k);
    return i < 0 ? undefined : this.node[i + VAL];
  }

  /** Raw get of a string key (fast path for field access). */
  getStr(k: string): LuaValue {
    const i = this.find(k);
    return i < 0 ? undefined : this.node[i + VAL];
  }

  /**
   * Raw get of a key with a precomputed hash: `h` is luaStringHash(k) for a string `k` (the VM
   * keeps it for string constants), or -1 for any other key.
   */
  getH(k: LuaValue, h: number): LuaValue {
    if (h < 0) return this.get(k);
    const i = this.findH(k as string, h);
    return i < 0 ? undefined : this.node[i + VAL];
  }

  /** Raw set of a key with a precomputed hash (see {@link getH}). */
  setH(k: LuaValue, h: number, v: LuaValue): void {
    if (h < 0) {
      this.set(k, v);
      return;
    }
    let i = this.findH(k as string, h);
    if (i < 0) i = this.newKey(k as string, h);
    if (i >= 0) this.node[i + VAL] = v;
    else this.set(k, v);
  }

  /** find() for a string key whose hash is known. */
  private findH(k: string, h: number): number {
    const size = this.nsize;
    return size <= SCAN_MAX ? this.scan(k) : this.walk(k, h & (size - 1));
  }

  /** The node vector index (4 * slot) of key `k`, or -1. */
  private find(k: LuaValue): number {
    const size = this.nsize;
    if (size <= SCAN_MAX) return this.scan(k);
    if (k === undefined) return -1;
    return this.walk(k, mainPosition(k, rawHash(k), size));
  }

  /** Looks for `k` in every slot (small node vectors). */
  private scan(k: LuaValue): number {
    const node = this.node;
    for (let i = 0; i < node.length; i += 4) if (node[i] === k) return i;
    return -1;
  }

  /** Looks for `k` along the collision chain that starts at slot `i` (its main position). */
  private walk(k: LuaValue, i: number): number {
    const node = this.node;
    do {
      const at = i << 2;
      if (node[at] === k) return at;
      i = node[at + NEXT] as number;
    } while (i >= 0);
    return -1;
  }

  /**
   * Raw set (no metamethods), 5.1's luaH_set then the store: a key that is not in the table gets a
   * node even when `v` is nil (as in 5.1, where `t.k = nil` can grow the table). `k` must not be
   * nil or NaN (checked by callers).
   */
  set(k: LuaValue, v: LuaValue): void {
    if (typeof k === "number") {
      const i = k - 1;
      if (i >>> 0 === i && i < this.arr.length) {
        this.arr[i] = v;
        return;
      }
    }
    let i = this.find(k);
    if (i < 0) i = this.newKey(k as Key, rawHash(k as Key));
    if (i >= 0) this.node[i + VAL] = v;
    else this.set(k, v);
  }

  /**
   * Ensures `k` has a slot (luaH_set without the store) and returns its current value: what the VM
   * does before consulting __newindex, so a table with a metatable grows exactly as in 5.1.
   */
  touch(k: LuaValue): LuaValue {
    const v = this.get(k);
    if (v !== undefined) return v;
    this.set(k, undefined);
    return undefined;
  }

  /**
   * OP_SETLIST: stores src[from..from+n-1] at keys first..first+n-1, growing the array part to
   * exactly the last key first when it is too small (luaH_resizearray).
   */
  setList(first: number, src: LuaValue[], from: number, n: number): void {
    const last = first - 1 + n;
    if (last > this.arr.length) this.resize(last, this.nsize);
    for (let j = n; j >= 1; j--) this.set(first - 1 + j, src[from + j - 1]);
  }

  /** The length operator `#t` for tables: 5.1's luaH_getn border. */
  length(): number {
    const a = this.arr;
    let j = a.length;
    if (j > 0 && a[j - 1] === undefined) {
      // A border inside the array part: binary search for it.
      let i = 0;
      while (j - i > 1) {
        const m = (i + j) >>> 1;
        if (a[m - 1] === undefined) j = m;
        else i = m;
      }
      return i;
    }
    if (this.nsize === 0) return j;
    return this.unboundSearch(j);
  }

  /** 5.1's unbound_search: doubling then binary search over integer keys past the array part. */
  private unboundSearch(j: number): number {
    let i = j;
    j++;
    while (this.get(j) !== undefined) {
      i = j;
      j *= 2;
      if (j > MAX_INT) {
        // Built on purpose to defeat the search: 5.1 falls back to a linear scan.
        i = 1;
        while (this.get(i) !== undefined) i++;
        return i - 1;
      }
    }
    while (j - i > 1) {
      const m = Math.floor((i + j) / 2);
      if (this.get(m) === undefined) j = m;
      else i = m;
    }
    return i;
  }

  /**
   * next(t, k): the entry after key `k` (nil starts), or undefined at the end: array part first,
   * then the node vector in slot order. A key whose value was set to nil during the traversal is
   * still found. Throws the string "invalid key to 'next'" when k is not in the table.
   */
  next(k: LuaValue): [LuaValue, LuaValue] | undefined {
    const a = this.arr;
    const asize = a.length;
    let i = 0;
    if (k !== undefined) {
      if (typeof k === "number" && (k | 0) === k && k > 0 && k <= asize) i = k;
      else {
        const at = this.find(k);
        if (at < 0) throw "invalid key to 'next'";
        i = asize + (at >> 2) + 1;
      }
    }
    for (; i < asize; i++) if (a[i] !== undefined) return [i + 1, a[i]];
    const node = this.node;
    for (let j = (i - asize) << 2; j < node.length; j += 4) {
      const v = node[j + VAL];
      if (v !== undefined) return [node[j], v];
    }
    return undefined;
  }

  /** Largest positive numeric key with a non-nil value, or 0 (table.maxn). */
  maxn(): number {
    let m = 0;
    const a = this.arr;
    for (let i = a.length - 1; i >= 0; i--) {
      if (a[i] !== undefined) {
        m = i + 1;
        break;
      }
    }
    const node = this.node;
    for (let i = 0; i < node.length; i += 4) {
      const k = node[i];
      if (typeof k === "number" && k > m && node[i + VAL] !== undefined) m = k;
    }
    return m;
  }

  /**
   * 5.1's newkey: puts a key that is not in the table into the node vector and returns its index
   * (4 * slot), or -1 after a rehash (the caller then sets the key again, maybe in the array part).
   */
  private newKey(k: Key, h: number): number {
    const size = this.nsize;
    if (size === 0) {
      if (!this.appendToFullArray(k)) this.rehash(k);
      return -1;
    }
    const node = this.node;
    let mp = mainPosition(k, h, size);
    let at = mp << 2;
    if (node[at + VAL] !== undefined) {
      const f = this.freePos();
      if (f < 0) {
        this.rehash(k);
        return -1;
      }
      const fat = f << 2;
      const ck = node[at] as Key;
      let other = mainPosition(ck, node[at + HASH] as number, size);
      if (other !== mp) {
        // The colliding key is not in its main position: move it to the free slot, take its place.
        while (node[(other << 2) + NEXT] !== mp) other = node[(other << 2) + NEXT] as number;
        node[(other << 2) + NEXT] = f;
        node[fat] = ck;
        node[fat + VAL] = node[at + VAL];
        node[fat + NEXT] = node[at + NEXT];
        node[fat + HASH] = node[at + HASH];
        node[at + NEXT] = -1;
        node[at + VAL] = undefined;
        node[at] = k;
        node[at + HASH] = h;
        return at;
      }
      // The colliding key is in its main position: chain the new key in the free slot after it.
      node[fat + NEXT] = node[at + NEXT];
      node[at + NEXT] = f;
      mp = f;
      at = fat;
    }
    // A dead key (nil value) at the main position is replaced; its chain link stays.
    node[at] = k;
    node[at + HASH] = h;
    return at;
  }

  /**
   * The common case of rehash, done without counting: no node vector, every array slot in use and
   * `k` the next integer. 5.1's sizing then gives an array part of the next power of two holding
   * 1..k and still no node vector. Returns false (nothing done) in any other case.
   */
  private appendToFullArray(k: Key): boolean {
    const a = this.arr;
    const n = a.length;
    if (k !== n + 1) return false;
    for (let i = 0; i < n; i++) if (a[i] === undefined) return false;
    const size = 2 ** ceilLog2(k);
    if (n === 0) this.arr = nils(size);
    else for (let i = n; i < size; i++) a.push(undefined);
    return true;
  }

  /** 5.1's getfreepos: the next slot below `lastFree` whose key is nil, or -1. */
  private freePos(): number {
    const node = this.node;
    while (this.lastFree > 0) if (node[--this.lastFree << 2] === undefined) return this.lastFree;
    return -1;
  }

  /** 5.1's rehash: sizes both parts for the keys in use plus `ek`, then rebuilds the table. */
  private rehash(ek: Key): void {
    for (let i = 0; i <= MAXBITS; i++) nums[i] = 0;
    let nasize = this.numUseArray();
    let totaluse = nasize;
    const node = this.node;
    for (let i = node.length - 4; i >= 0; i -= 4) {
      if (node[i + VAL] !== undefined) {
        nasize += countInt(node[i]);
        totaluse++;
      }
    }
    nasize += countInt(ek);
    totaluse++;
    // computesizes: the largest power of two n such that more than n/2 of 1..n are in use.
    let a = 0;
    let na = 0;
    let n = 0;
    for (let i = 0, twotoi = 1; twotoi >> 1 < nasize; i++, twotoi *= 2) {
      if (nums[i] > 0) {
        a += nums[i];
        if (a > twotoi >> 1) {
          n = twotoi;
          na = a;
        }
      }
      if (a === nasize) break;
    }
    this.resize(n, totaluse - na);
  }

  /** 5.1's numusearray: counts the non-nil array slots per slice (2^(lg-1), 2^lg]. */
  private numUseArray(): number {
    const a = this.arr;
    const size = a.length;
    let ause = 0;
    let i = 1;
    for (let lg = 0, ttlg = 1; lg <= MAXBITS; lg++, ttlg *= 2) {
      let lc = 0;
      let lim = ttlg;
      if (lim > size) {
        lim = size;
        if (i > lim) break;
      }
      for (; i <= lim; i++) if (a[i - 1] !== undefined) lc++;
      nums[lg] += lc;
      ause += lc;
    }
    return ause;
  }

  /** 5.1's setnodevector: an empty node vector of ceil-pow2(size) slots (0: the dummy node). */
  private setNodeVector(size: number): void {
    if (size === 0) {
      this.node = NO_NODES;
      this.nsize = 0;
      this.lastFree = 0;
      return;
    }
    const lsize = ceilLog2(size);
    if (lsize > MAXBITS) throw new RangeError("table overflow");
    size = 2 ** lsize;
    // A holey array: a missing NEXT reads as undefined, which every chain walk treats as -1.
    this.node = new Array<LuaValue>(size * 4);
    this.nsize = size;
    this.lastFree = size;
  }

  /**
   * 5.1's resize: grows the array part, makes a new node vector, moves the array slice that
   * vanishes into it (ascending), then re-inserts the old nodes from the last slot down.
   */
  private resize(nasize: number, nhsize: number): void {
    const a = this.arr;
    const oldasize = a.length;
    const old = this.node;
    for (let i = oldasize; i < nasize; i++) a.push(undefined);
    this.setNodeVector(nhsize);
    if (nasize < oldasize) {
      const vanishing = a.slice(nasize);
      a.length = nasize;
      for (let i = 0; i < vanishing.length; i++) {
        const k = nasize + 1 + i;
        if (vanishing[i] !== undefined) this.reinsert(k, vanishing[i], rawHash(k));
      }
    }
    for (let i = old.length - 4; i >= 0; i -= 4) {
      const v = old[i + VAL];
      if (v !== undefined) this.reinsert(old[i] as Key, v, old[i + HASH] as number);
    }
  }

  /** luaH_set of a key known to be absent (re-insertion during resize), with its hash. */
  private reinsert(k: Key, v: LuaValue, h: number): void {
    if (typeof k === "number") {
      const i = k - 1;
      if (i >>> 0 === i && i < this.arr.length) {
        this.arr[i] = v;
        return;
      }
    }
    const at = this.newKey(k, h);
    if (at >= 0) this.node[at + VAL] = v;
    else this.set(k, v);
  }
}
