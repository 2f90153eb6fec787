/**
 * DUMP/RESTORE of streams: Redis 7.0's RDB_TYPE_STREAM_LISTPACKS_2 payload. Each node is written
 * as the listpack Redis keeps for it (master entry, delta-encoded IDs, SAMEFIELDS compression,
 * deleted flags), so payloads are byte-identical to Redis's; then the stream metadata, and each
 * consumer group with its PEL and consumers (rdbSaveObject / rdbLoadObject for OBJ_STREAM).
 */
import { ListpackBuilder, parseListpack, type ListpackEntry } from "./listpack.js";
import {
  RdbFormatError,
  RdbType,
  registerRdbLoader,
  registerRdbSaver,
  type RdbReader,
  type RdbWriter,
} from "./rdb.js";
import { idMs, idSeq, makeId, UINT64_MAX, type StreamId } from "./stream-id.js";
import {
  IdMap,
  listpackIntSize,
  StreamValue,
  type Consumer,
  type ConsumerGroup,
  type Nack,
  type StreamNode,
} from "./stream.js";
import type { CollectionValue } from "./value.js";

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;

function corrupt(why: string): never {
  throw new RdbFormatError(why);
}

/** rdbSaveLen of an unsigned 64-bit value. */
function saveLen(w: RdbWriter, v: bigint): void {
  if (v <= 0xffffffffn) {
    w.length(Number(v));
    return;
  }
  w.byte(0x81);
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt.asUintN(64, v));
  w.raw(b);
}

/** rdbLoadLen as an unsigned 64-bit value. */
function loadLen(r: RdbReader): bigint {
  const first = r.byte();
  const kind = first >> 6;
  if (kind === 0) return BigInt(first & 0x3f);
  if (kind === 1) return BigInt(((first & 0x3f) << 8) | r.byte());
  if (first === 0x80) return BigInt(r.raw(4).readUInt32BE(0));
  if (first === 0x81) return r.raw(8).readBigUInt64BE(0);
  return corrupt("bad stream length");
}

/** A stream ID as 16 big-endian bytes (streamEncodeID). */
function encodeId(id: StreamId): Buffer {
  const b = Buffer.alloc(16);
  b.writeBigUInt64BE(idMs(id), 0);
  b.writeBigUInt64BE(idSeq(id), 8);
  return b;
}

function decodeId(b: Buffer): StreamId {
  if (b.length !== 16) corrupt("bad stream ID");
  return makeId(b.readBigUInt64BE(0), b.readBigUInt64BE(8));
}

/** True if an entry's field names are the node's master fields (SAMEFIELDS). */
function sameFields(node: StreamNode, fields: readonly string[]): boolean {
  const mf = node.masterFields;
  if (mf.length * 2 !== fields.length) return false;
  for (let i = 0; i < mf.length; i++) if (mf[i] !== fields[2 * i]) return false;
  return true;
}

/** The listpack Redis holds for a node. */
function nodeListpack(node: StreamNode): Buffer {
  const lp = new ListpackBuilder();
  lp.appendInteger(node.live).appendInteger(node.dead).appendInteger(node.masterFields.length);
  for (const f of node.masterFields) lp.appendString(f);
  lp.appendInteger(0);
  const masterMs = idMs(node.master);
  const masterSeq = idSeq(node.master);
  for (let i = 0; i < node.ids.length; i++) {
    const id = node.ids[i]!;
    const fields = node.fields[i]!;
    // The first entry created the master entry: it always shares its fields.
    const same = i === 0 || sameFields(node, fields);
    lp.appendInteger((node.deleted[i] ? FLAG_DELETED : 0) | (same ? FLAG_SAMEFIELDS : 0));
    lp.appendInteger(BigInt.asIntN(64, idMs(id) - masterMs));
    lp.appendInteger(BigInt.asIntN(64, idSeq(id) - masterSeq));
    const n = fields.length / 2;
    if (!same) lp.appendInteger(n);
    for (let j = 0; j < fields.length; j += 2) {
      if (!same) lp.appendString(fields[j]!);
      lp.appendString(fields[j + 1]!);
    }
    lp.appendInteger(n + 3 + (same ? 0 : n + 1));
  }
  return lp.finish();
}

function saveStream(w: RdbWriter, value: CollectionValue): void {
  const s = value as StreamValue;
  w.byte(RdbType.STREAM_LISTPACKS_2);
  w.length(s.nodes.length);
  for (const node of s.nodes) {
    w.bytes(encodeId(node.master));
    w.bytes(nodeListpack(node));
  }
  w.length(s.length);
  saveLen(w, idMs(s.lastId));
  saveLen(w, idSeq(s.lastId));
  saveLen(w, idMs(s.firstId));
  saveLen(w, idSeq(s.firstId));
  saveLen(w, idMs(s.maxDeletedId));
  saveLen(w, idSeq(s.maxDeletedId));
  saveLen(w, BigInt(s.entriesAdded));
  const groups = s.sortedGroups();
  w.length(groups.length);
  for (const g of groups) {
    w.string(g.name);
    saveLen(w, idMs(g.lastId));
    saveLen(w, idSeq(g.lastId));
    saveLen(w, BigInt.asUintN(64, BigInt(g.entriesRead)));
    w.length(g.pel.size);
    for (const [id, nack] of g.pel.entries()) {
      w.raw(encodeId(id));
      w.uint64LE(BigInt(nack.deliveryTime));
      saveLen(w, BigInt(nack.deliveryCount));
    }
    const consumers = [...g.consumers.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    w.length(consumers.length);
    for (const c of consumers) {
      w.string(c.name);
      w.uint64LE(BigInt(c.seenTime));
      w.length(c.pel.size);
      for (const [id] of c.pel.entries()) w.raw(encodeId(id));
    }
  }
}

/** An integer listpack element. */
function int(e: ListpackEntry | undefined): bigint {
  if (typeof e === "number") return BigInt(e);
  if (typeof e === "bigint") return e;
  return corrupt("stream listpack: integer expected");
}

/** A listpack element as the string it stands for. */
function str(e: ListpackEntry | undefined): string {
  if (e === undefined) return corrupt("stream listpack truncated");
  return typeof e === "string" ? e : String(e);
}

/** Rebuilds a node from its rax key and listpack. */
function loadNode(master: StreamId, blob: Buffer): StreamNode {
  const items = parseListpack(blob) ?? corrupt("stream listpack integrity check failed");
  let p = 0;
  const live = Number(int(items[p++]));
  const dead = Number(int(items[p++]));
  const nMaster = Number(int(items[p++]));
  const masterFields: string[] = [];
  for (let i = 0; i < nMaster; i++) masterFields.push(str(items[p++]));
  if (int(items[p++]) !== 0n) corrupt("stream master entry terminator");
  const node: StreamNode = { master, masterFields, ids: [], fields: [], deleted: [], live, dead, body: 0 };
  let seenLive = 0;
  let seenDead = 0;
  while (p < items.length) {
    const flags = Number(int(items[p++]));
    const ms = BigInt.asUintN(64, idMs(master) + int(items[p++]));
    const seq = BigInt.asUintN(64, idSeq(master) + int(items[p++]));
    const fields: string[] = [];
    if (flags & FLAG_SAMEFIELDS) {
      for (const f of masterFields) fields.push(f, str(items[p++]));
    } else {
      const n = Number(int(items[p++]));
      for (let i = 0; i < n; i++) fields.push(str(items[p++]), str(items[p++]));
    }
    p++; // lp-count
    const id = makeId(ms, seq);
    if (node.ids.length > 0 && id <= node.ids[node.ids.length - 1]!) corrupt("stream IDs out of order");
    node.ids.push(id);
    node.fields.push(fields);
    const deleted = (flags & FLAG_DELETED) !== 0;
    node.deleted.push(deleted);
    if (deleted) seenDead++;
    else seenLive++;
  }
  if (p !== items.length || seenLive !== live || seenDead !== dead || live === 0) corrupt("bad stream node");
  node.body = blob.length - 7 - listpackIntSize(live) - listpackIntSize(dead);
  return node;
}

function loadStream(r: RdbReader): StreamValue {
  const s = new StreamValue();
  const count = r.length();
  for (let i = 0; i < count; i++) {
    const master = decodeId(r.bytes());
    const node = loadNode(master, Buffer.from(r.bytes()));
    if (s.nodes.length > 0 && master <= s.nodes[s.nodes.length - 1]!.master)
      corrupt("stream nodes out of order");
    s.nodes.push(node);
  }
  s.length = r.length();
  s.lastId = makeId(loadLen(r), loadLen(r));
  s.firstId = makeId(loadLen(r), loadLen(r));
  s.maxDeletedId = makeId(loadLen(r), loadLen(r));
  s.entriesAdded = Number(loadLen(r));
  const groups = r.length();
  for (let i = 0; i < groups; i++) {
    const name = r.string();
    const lastId = makeId(loadLen(r), loadLen(r));
    const read = loadLen(r);
    const entriesRead = read === UINT64_MAX ? -1 : Number(read);
    const group: ConsumerGroup | undefined = s.createGroup(name, lastId, entriesRead);
    if (group === undefined) corrupt("duplicated consumer group name");
    const pelSize = r.length();
    for (let j = 0; j < pelSize; j++) {
      const id = decodeId(r.raw(16));
      const nack: Nack = {
        consumer: null,
        deliveryTime: Number(r.uint64LE()),
        deliveryCount: Number(loadLen(r)),
      };
      if (!group.pel.set(id, nack)) corrupt("duplicated global PEL entry");
    }
    const consumers = r.length();
    for (let j = 0; j < consumers; j++) {
      const consumer: Consumer = { name: r.string(), seenTime: Number(r.uint64LE()), pel: new IdMap<Nack>() };
      if (group.consumers.has(consumer.name)) corrupt("duplicated consumer name");
      group.consumers.set(consumer.name, consumer);
      const own = r.length();
      for (let k = 0; k < own; k++) {
        const id = decodeId(r.raw(16));
        const nack = group.pel.get(id) ?? corrupt("consumer PEL entry not in the group PEL");
        nack.consumer = consumer;
        if (!consumer.pel.set(id, nack)) corrupt("duplicated consumer PEL entry");
      }
    }
  }
  return s;
}

registerRdbSaver("stream", saveStream);
registerRdbLoader(RdbType.STREAM_LISTPACKS_2, loadStream);
