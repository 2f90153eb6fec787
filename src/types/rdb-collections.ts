/**
 * RDB serialization of hashes, sets, lists and sorted sets (Redis 7.0's rdbSaveObject and
 * rdbLoadObject), registered with `rdb.ts` for DUMP and RESTORE.
 *
 * Saving follows Redis's choice of RDB type by encoding:
 * - hash: listpack → RDB_TYPE_HASH_LISTPACK (the listpack blob); hashtable → RDB_TYPE_HASH.
 * - set: intset → RDB_TYPE_SET_INTSET (the intset blob); hashtable → RDB_TYPE_SET.
 * - zset: listpack → RDB_TYPE_ZSET_LISTPACK; skiplist → RDB_TYPE_ZSET_2 (members from the
 *   greatest to the smallest, scores as binary doubles).
 * - list: RDB_TYPE_LIST_QUICKLIST_2, one listpack per quicklist node.
 *
 * The compact encodings are rebuilt byte for byte, so DUMP of a listpack hash or zset, an intset,
 * a skiplist zset and a list whose quicklist nodes Redis filled by appending equals Redis's DUMP.
 * For hashtable-encoded hashes and sets Redis writes elements in its dict's order, which reddish
 * cannot reproduce: the payloads hold the same elements in another order (and restore alike).
 *
 * Loading accepts every type Redis 7.0 loads for these data types, the legacy ones included
 * (zipmap and ziplist hashes, ziplist lists and sorted sets, ziplist quicklists, plain lists, and
 * sorted sets with text scores), and picks the encoding Redis would pick after loading (a listpack
 * payload is converted only when it has too many entries, a plain one is compacted when it fits).
 * Malformed data is rejected with RdbFormatError (RESTORE's "Bad data format"). reddish always
 * validates as Redis does with `sanitize-dump-payload yes`, and also rejects what it cannot
 * represent: duplicate fields or members, an unsorted intset or sorted-set listpack, a NaN score.
 * Redis with sanitization off may accept some of those (storing a corrupt value).
 */
import { formatG } from "../resp/format.js";
import { HashValue } from "./hash.js";
import { encodeIntset, type IntsetWidth, parseIntset } from "./intset.js";
import { ListValue } from "./list.js";
import { type ListpackEntry, ListpackBuilder, entryToString, parseListpack } from "./listpack.js";
import {
  RdbFormatError,
  type RdbReader,
  RdbType,
  type RdbWriter,
  lzfCompress,
  registerRdbLoader,
  registerRdbSaver,
} from "./rdb.js";
import { SetValue } from "./set.js";
import type { CollectionValue } from "./value.js";
import { parseZiplist, parseZipmap } from "./ziplist.js";
import { ZsetValue, listpackScoreIsInteger } from "./zset.js";
import { compareEntries } from "./zset-tree.js";

/** Listpacks are never grown past 1 GiB (LISTPACK_MAX_SAFETY_SIZE, lpSafeToAdd). */
const LISTPACK_MAX_SAFETY_SIZE = 2 ** 30;
/** Limits that never force a conversion, for building values before choosing their encoding. */
const NO_LIMITS = { maxEntries: Infinity, maxValue: Infinity };

function corrupt(why: string): never {
  throw new RdbFormatError(why);
}

/** A listpack or ziplist blob's entries, or RdbFormatError. */
function listpackEntries(blob: Uint8Array, what: string): ListpackEntry[] {
  return parseListpack(blob) ?? corrupt(`${what} listpack integrity check failed`);
}

function ziplistEntries(blob: Uint8Array, what: string): ListpackEntry[] {
  return parseZiplist(blob) ?? corrupt(`${what} ziplist integrity check failed`);
}

// ---------------------------------------------------------------------------------------------
// Hashes
// ---------------------------------------------------------------------------------------------

function saveHash(w: RdbWriter, value: CollectionValue): void {
  const hash = value as HashValue;
  if (hash.isListpack) {
    w.byte(RdbType.HASH_LISTPACK);
    const lp = new ListpackBuilder();
    hash.forEach((field, v) => {
      lp.appendString(field);
      lp.appendString(v);
    });
    w.bytes(lp.finish());
    return;
  }
  // Redis writes the dict's order; reddish writes its own slot order (same pairs).
  w.byte(RdbType.HASH);
  w.length(hash.size);
  hash.forEach((field, v) => {
    w.string(field);
    w.string(v);
  });
}

/** A listpack hash from interleaved fields and values (no duplicate fields, at least one pair). */
function hashFromPairs(items: readonly string[], what: string): HashValue {
  if (items.length === 0) corrupt(`empty ${what}`);
  if (items.length % 2 !== 0) corrupt(`${what} with an odd number of entries`);
  const seen = new Set<string>();
  const hash = new HashValue();
  for (let i = 0; i < items.length; i += 2) {
    const field = items[i]!;
    if (seen.has(field)) corrupt(`${what} with dup elements`);
    seen.add(field);
    hash.set(field, items[i + 1]!, NO_LIMITS);
  }
  return hash;
}

/** RDB_TYPE_HASH: pairs of strings; listpack while within both limits, as Redis loads it. */
function loadHash(r: RdbReader): HashValue {
  let len = r.length();
  if (len === 0) corrupt("empty hash");
  const maxEntries = r.config.getNumber("hash-max-listpack-entries");
  const maxValue = r.config.getNumber("hash-max-listpack-value");
  const hash = new HashValue();
  if (len > maxEntries) hash.convertToHashtable();
  const seen = new Set<string>();
  let bytes = 0;
  while (hash.isListpack && len > 0) {
    len--;
    const field = r.string();
    const value = r.string();
    if (seen.has(field)) corrupt("hash with dup elements");
    seen.add(field);
    bytes += field.length + value.length;
    if (field.length > maxValue || value.length > maxValue || bytes > LISTPACK_MAX_SAFETY_SIZE) {
      hash.convertToHashtable();
    }
    hash.set(field, value, NO_LIMITS);
  }
  while (len > 0) {
    len--;
    const field = r.string();
    const value = r.string();
    if (hash.has(field)) corrupt("duplicate hash fields detected");
    hash.set(field, value, NO_LIMITS);
  }
  return hash;
}

/** Converts a hash loaded from a compact blob when it has too many fields (not for long values). */
function convertLoadedHash(r: RdbReader, hash: HashValue): HashValue {
  if (hash.size > r.config.getNumber("hash-max-listpack-entries")) hash.convertToHashtable();
  return hash;
}

function loadHashListpack(r: RdbReader): HashValue {
  const entries = listpackEntries(r.bytes(), "hash");
  return convertLoadedHash(r, hashFromPairs(entries.map(entryToString), "hash listpack"));
}

function loadHashZiplist(r: RdbReader): HashValue {
  const entries = ziplistEntries(r.bytes(), "hash");
  return convertLoadedHash(r, hashFromPairs(entries.map(entryToString), "hash ziplist"));
}

/** RDB_TYPE_HASH_ZIPMAP: converted like Redis, by count and by the longest field or value. */
function loadHashZipmap(r: RdbReader): HashValue {
  const items = parseZipmap(r.bytes()) ?? corrupt("zipmap integrity check failed");
  const hash = hashFromPairs(items, "hash zipmap");
  let maxlen = 0;
  for (const s of items) if (s.length > maxlen) maxlen = s.length;
  if (
    hash.size > r.config.getNumber("hash-max-listpack-entries") ||
    maxlen > r.config.getNumber("hash-max-listpack-value")
  ) {
    hash.convertToHashtable();
  }
  return hash;
}

// ---------------------------------------------------------------------------------------------
// Sets
// ---------------------------------------------------------------------------------------------

/**
 * The width of intsets loaded from payloads. Redis never narrows an intset, so a payload's width
 * survives RESTORE and shows in the next DUMP; SetValue does not track widths, so this remembers
 * the ones RESTORE created (a set built by SADD/SREM that once held a wider integer is not
 * covered, nor a copy made by COPY).
 */
const loadedIntsetWidth = new WeakMap<SetValue, IntsetWidth>();

function saveSet(w: RdbWriter, value: CollectionValue): void {
  const set = value as SetValue;
  if (set.isIntset) {
    w.byte(RdbType.SET_INTSET);
    w.bytes(encodeIntset(set.toArray(), loadedIntsetWidth.get(set)));
    return;
  }
  // Redis writes the dict's order; reddish writes its own slot order (same members).
  w.byte(RdbType.SET);
  w.length(set.size);
  for (let i = 0; i < set.size; i++) w.string(set.at(i));
}

/** RDB_TYPE_SET: an intset while every member is an integer and there are few enough. */
function loadSet(r: RdbReader): SetValue {
  const len = r.length();
  if (len === 0) corrupt("empty set");
  const maxEntries = Math.min(r.config.getNumber("set-max-intset-entries"), 2 ** 30);
  const set = new SetValue();
  if (len > maxEntries) set.convertToHashtable();
  for (let i = 0; i < len; i++) {
    // SetValue.add turns an intset into a hashtable at the first non-integer member, as Redis.
    if (!set.add(r.string(), Infinity)) corrupt("duplicate set members detected");
  }
  return set;
}

function loadSetIntset(r: RdbReader): SetValue {
  const parsed = parseIntset(r.bytes()) ?? corrupt("intset integrity check failed");
  const set = new SetValue();
  for (const m of parsed.members) set.add(m, Infinity);
  if (set.size > r.config.getNumber("set-max-intset-entries")) set.convertToHashtable();
  else if (parsed.width > 2) loadedIntsetWidth.set(set, parsed.width);
  return set;
}

// ---------------------------------------------------------------------------------------------
// Sorted sets
// ---------------------------------------------------------------------------------------------

function saveZset(w: RdbWriter, value: CollectionValue): void {
  const zset = value as ZsetValue;
  if (zset.isListpack) {
    w.byte(RdbType.ZSET_LISTPACK);
    const lp = new ListpackBuilder();
    zset.forEach((member, score) => {
      lp.appendString(member);
      // zzlInsertAt: an integral score within ±2^62 as an integer, others as d2string's %.17g.
      if (listpackScoreIsInteger(score)) lp.appendInteger(score);
      else lp.appendString(formatG(score, 17));
    });
    w.bytes(lp.finish());
    return;
  }
  // From the greatest to the smallest, as Redis walks its skiplist backwards.
  w.byte(RdbType.ZSET_2);
  const n = zset.size;
  w.length(n);
  if (n === 0) return;
  zset.walk(n - 1, true, (member, score) => {
    w.string(member);
    w.binaryDouble(score);
    return true;
  });
}

/**
 * C's strtod on a prefix of `s`: leading whitespace, a sign, then a decimal or hexadecimal number,
 * `inf`/`infinity` or `nan`. Returns the value and the characters consumed (0 when nothing parses,
 * with value 0).
 */
export function strtodPrefix(s: string): { value: number; consumed: number } {
  const m =
    /^[ \t\n\v\f\r]*([+-]?)(?:(inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?)|0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?)|((?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?))/i.exec(
      s,
    );
  if (!m) {
    // "0x" with no hex digits still converts its "0".
    const zero = /^[ \t\n\v\f\r]*[+-]?0/.exec(s);
    return zero ? { value: 0, consumed: zero[0].length } : { value: 0, consumed: 0 };
  }
  const negative = m[1] === "-";
  let value: number;
  if (m[2] !== undefined) {
    value = m[2][0]!.toLowerCase() === "i" ? Infinity : NaN;
  } else if (m[3] !== undefined) {
    const [mant, exp] = m[3].split(/[pP]/) as [string, string | undefined];
    const [intPart, fracPart = ""] = mant.split(".") as [string, string | undefined];
    value = 0;
    for (const ch of intPart + fracPart) value = value * 16 + parseInt(ch, 16);
    value *= 2 ** (Number(exp ?? 0) - 4 * fracPart.length);
  } else {
    value = Number(m[4]);
  }
  return { value: negative ? -value : value, consumed: m[0].length };
}

/**
 * rdbLoadDoubleValue (RDB_TYPE_ZSET's text scores): a length byte, 253 = NaN, 254 = +inf,
 * 255 = -inf, else that many bytes read with sscanf("%lg").
 */
function loadTextDouble(r: RdbReader): number {
  const len = r.byte();
  if (len === 255) return -Infinity;
  if (len === 254) return Infinity;
  if (len === 253) return NaN;
  const text = r.raw(len).toString("latin1");
  const nul = text.indexOf("\0");
  const { value, consumed } = strtodPrefix(nul < 0 ? text : text.slice(0, nul));
  if (consumed === 0) corrupt("unparsable double");
  return value;
}

/** RDB_TYPE_ZSET_2 and RDB_TYPE_ZSET: a skiplist, compacted to a listpack when it fits. */
function loadZset(r: RdbReader, type: number): ZsetValue {
  const len = r.length();
  if (len === 0) corrupt("empty zset");
  const members: string[] = [];
  const scores: number[] = [];
  const seen = new Set<string>();
  let maxlen = 0;
  let total = 0;
  for (let i = 0; i < len; i++) {
    const member = r.string();
    const score = type === RdbType.ZSET_2 ? r.binaryDouble() : loadTextDouble(r);
    if (Number.isNaN(score)) corrupt("zset with NAN score detected");
    if (seen.has(member)) corrupt("duplicate zset fields detected");
    seen.add(member);
    if (member.length > maxlen) maxlen = member.length;
    total += member.length;
    members.push(member);
    scores.push(score);
  }
  const order = members.map((_, i) => i);
  order.sort((a, b) => compareEntries(scores[a]!, members[a]!, scores[b]!, members[b]!));
  const listpack =
    len <= r.config.getNumber("zset-max-listpack-entries") &&
    maxlen <= r.config.getNumber("zset-max-listpack-value") &&
    total <= LISTPACK_MAX_SAFETY_SIZE;
  return ZsetValue.fromSorted(
    order.map((i) => members[i]!),
    order.map((i) => scores[i]!),
    listpack,
  );
}

/** A score entry of a sorted-set listpack or ziplist (zzlGetScore). */
function entryScore(e: ListpackEntry): number {
  // zzlStrtod reads at most 127 bytes.
  return typeof e === "string" ? strtodPrefix(e.slice(0, 127)).value : Number(e);
}

/** A sorted set from listpack/ziplist entries (member, score pairs in order). */
function zsetFromPairs(r: RdbReader, entries: ListpackEntry[], what: string): ZsetValue {
  if (entries.length === 0) corrupt(`empty ${what}`);
  if (entries.length % 2 !== 0) corrupt(`${what} with an odd number of entries`);
  const members: string[] = [];
  const scores: number[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < entries.length; i += 2) {
    const member = entryToString(entries[i]!);
    const score = entryScore(entries[i + 1]!);
    if (seen.has(member)) corrupt(`${what} with dup elements`);
    seen.add(member);
    if (Number.isNaN(score)) corrupt(`${what} with NAN score`);
    const n = members.length;
    if (n > 0 && compareEntries(scores[n - 1]!, members[n - 1]!, score, member) >= 0) {
      corrupt(`${what} out of order`);
    }
    members.push(member);
    scores.push(score);
  }
  // Redis converts a loaded listpack by its length only.
  return ZsetValue.fromSorted(
    members,
    scores,
    members.length <= r.config.getNumber("zset-max-listpack-entries"),
  );
}

function loadZsetListpack(r: RdbReader): ZsetValue {
  return zsetFromPairs(r, listpackEntries(r.bytes(), "zset"), "zset listpack");
}

function loadZsetZiplist(r: RdbReader): ZsetValue {
  return zsetFromPairs(r, ziplistEntries(r.bytes(), "zset"), "zset ziplist");
}

// ---------------------------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------------------------

/** QUICKLIST_NODE_CONTAINER_PLAIN / PACKED. */
const CONTAINER_PLAIN = 1;
const CONTAINER_PACKED = 2;
/** Elements this large get a plain node of their own (packed_threshold). */
const PACKED_THRESHOLD = 2 ** 30;
/** Node size limits for negative list-max-listpack-size values -1..-5 (optimization_level). */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
/** Size limit for count-limited nodes (SIZE_SAFETY_LIMIT). */
const SIZE_SAFETY_LIMIT = 8192;
/** quicklist's compression thresholds (MIN_COMPRESS_BYTES, MIN_COMPRESS_IMPROVE). */
const MIN_COMPRESS_BYTES = 48;
const MIN_COMPRESS_IMPROVE = 8;

/** The worst-case listpack entry overhead quicklist assumes (SIZE_ESTIMATE_OVERHEAD). */
const SIZE_ESTIMATE_OVERHEAD = 8;

/**
 * Redis 7.0.15's _quicklistNodeAllowInsert: whether a node of `nodeBytes` bytes and `count`
 * entries takes an element of `sz` bytes under fill factor `fill`.
 */
function nodeAllowsInsert(nodeBytes: number, count: number, fill: number, sz: number): boolean {
  const newSize = nodeBytes + sz + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0) {
    const limit = OPTIMIZATION_LEVEL[-fill - 1];
    if (limit !== undefined && newSize <= limit) return true;
  }
  if (newSize > SIZE_SAFETY_LIMIT) return false;
  return count < fill;
}

/** A quicklist node as saved: a listpack, or one large element in a plain node. */
type QuicklistNode = { plain: false; lp: Buffer } | { plain: true; element: string };

/**
 * The nodes Redis's quicklist holds for a list built by appending its elements in order
 * (quicklistPushTail under `list-max-listpack-size`). Redis's real layout depends on the list's
 * history (LPUSH fills nodes from the other end, inserts split and merge nodes, RESTORE keeps the
 * payload's nodes); reddish keeps no nodes, so DUMP of a multi-node list matches Redis's only for
 * lists Redis built by appending.
 */
function quicklistNodes(list: ListValue, fillSetting: number): QuicklistNode[] {
  const fill = Math.max(-5, Math.min(32767, fillSetting));
  const nodes: QuicklistNode[] = [];
  let node: ListpackBuilder | null = null;
  const n = list.length;
  if (n === 0) return nodes;
  list.forRange(0, n - 1, false, (element) => {
    const sz = element.length;
    if (sz >= PACKED_THRESHOLD) {
      if (node) nodes.push({ plain: false, lp: node.finish() });
      node = null;
      nodes.push({ plain: true, element });
      return;
    }
    if (node === null || !nodeAllowsInsert(node.bytes, node.length, fill, sz)) {
      if (node) nodes.push({ plain: false, lp: node.finish() });
      node = new ListpackBuilder();
    }
    node.appendString(element);
  });
  if (node) nodes.push({ plain: false, lp: (node as ListpackBuilder).finish() });
  return nodes;
}

function saveList(w: RdbWriter, value: CollectionValue): void {
  const list = value as ListValue;
  const nodes = quicklistNodes(list, w.config.getNumber("list-max-listpack-size"));
  const depth = w.config.getNumber("list-compress-depth");
  w.byte(RdbType.LIST_QUICKLIST_2);
  w.length(nodes.length);
  nodes.forEach((node, i) => {
    if (node.plain) {
      w.length(CONTAINER_PLAIN);
      w.string(node.element);
      return;
    }
    w.length(CONTAINER_PACKED);
    const lp = node.lp;
    // With list-compress-depth, nodes past `depth` from both ends are kept LZF-compressed when
    // that saves more than 8 bytes, and saved as such whatever rdbcompression says.
    if (depth > 0 && i >= depth && i < nodes.length - depth && lp.length >= MIN_COMPRESS_BYTES) {
      const compressed = lzfCompress(lp, lp.length);
      if (compressed && compressed.length + MIN_COMPRESS_IMPROVE < lp.length) {
        w.lzfBlob(compressed, lp.length);
        return;
      }
    }
    w.bytes(lp);
  });
}

/** RDB_TYPE_LIST: plain strings. */
function loadList(r: RdbReader): ListValue {
  const len = r.length();
  if (len === 0) corrupt("empty list");
  const list = new ListValue();
  for (let i = 0; i < len; i++) list.pushTail(r.string());
  return list;
}

/** RDB_TYPE_LIST_QUICKLIST_2 (listpack nodes, plain or packed) and _QUICKLIST (ziplist nodes). */
function loadQuicklist(r: RdbReader, type: number): ListValue {
  const len = r.length();
  if (len === 0) corrupt("empty quicklist");
  const list = new ListValue();
  for (let i = 0; i < len; i++) {
    let container = CONTAINER_PACKED;
    if (type === RdbType.LIST_QUICKLIST_2) {
      container = r.length();
      if (container !== CONTAINER_PACKED && container !== CONTAINER_PLAIN) {
        corrupt("quicklist integrity check failed");
      }
    }
    const data = r.bytes();
    if (data.length === 0) corrupt("empty quicklist node");
    if (container === CONTAINER_PLAIN) {
      list.pushTail(data.toString("latin1"));
      continue;
    }
    // Empty nodes are skipped; a list left empty is an error below.
    const entries =
      type === RdbType.LIST_QUICKLIST_2 ? listpackEntries(data, "list") : ziplistEntries(data, "list");
    for (const e of entries) list.pushTail(entryToString(e));
  }
  if (list.length === 0) corrupt("empty quicklist");
  return list;
}

/** RDB_TYPE_LIST_ZIPLIST: a whole list in one ziplist. */
function loadListZiplist(r: RdbReader): ListValue {
  const entries = ziplistEntries(r.bytes(), "list");
  if (entries.length === 0) corrupt("empty list ziplist");
  return ListValue.from(entries.map(entryToString));
}

// ---------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------

registerRdbSaver("hash", saveHash);
registerRdbSaver("set", saveSet);
registerRdbSaver("zset", saveZset);
registerRdbSaver("list", saveList);

registerRdbLoader(RdbType.HASH, loadHash);
registerRdbLoader(RdbType.HASH_LISTPACK, loadHashListpack);
registerRdbLoader(RdbType.HASH_ZIPLIST, loadHashZiplist);
registerRdbLoader(RdbType.HASH_ZIPMAP, loadHashZipmap);
registerRdbLoader(RdbType.SET, loadSet);
registerRdbLoader(RdbType.SET_INTSET, loadSetIntset);
registerRdbLoader(RdbType.ZSET_2, loadZset);
registerRdbLoader(RdbType.ZSET, loadZset);
registerRdbLoader(RdbType.ZSET_LISTPACK, loadZsetListpack);
registerRdbLoader(RdbType.ZSET_ZIPLIST, loadZsetZiplist);
registerRdbLoader(RdbType.LIST, loadList);
registerRdbLoader(RdbType.LIST_QUICKLIST, loadQuicklist);
registerRdbLoader(RdbType.LIST_QUICKLIST_2, loadQuicklist);
registerRdbLoader(RdbType.LIST_ZIPLIST, loadListZiplist);
