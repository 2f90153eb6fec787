/**
 * Geo searches, following Redis 7.0's georadiusGeneric: GEORADIUS, GEORADIUSBYMEMBER, their _RO
 * forms, GEOSEARCH and GEOSEARCHSTORE. Candidates come from the 9 geohash cells covering the area
 * (scanned in Redis's order as score ranges of the sorted set), are filtered by distance or box,
 * then sorted like Redis (a stable full sort, or Redis's partial quicksort under COUNT).
 */
import { Err, GeoErr, RedisError } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import { ZsetValue } from "../types/zset.js";
import {
  decodeScore,
  distanceIfWithin,
  scoresOfCell,
  searchCells,
  type GeoShape,
  type HashBits,
} from "../util/geohash.js";
import { eqi, readBigInt } from "./args.js";
import {
  formatDistance,
  readBox,
  readDistance,
  readLonLat,
  replyCoordinate,
  scoreToInt64,
} from "./geo-common.js";
import { partialQuicksort } from "./sort.js";
import { lookupZsetRead, zsetLimits } from "./zset-common.js";

/** Search around coordinates (GEORADIUS). */
const RADIUS_COORDS = 1 << 0;
/** Search around a member (GEORADIUSBYMEMBER). */
const RADIUS_MEMBER = 1 << 1;
/** STORE / STOREDIST not accepted (the _RO forms). */
const RADIUS_NOSTORE = 1 << 2;
/** GEOSEARCH argument syntax. */
const GEOSEARCH = 1 << 3;
/** GEOSEARCHSTORE: STOREDIST as a flag. */
const GEOSEARCHSTORE = 1 << 4;

const SORT_NONE = 0;
const SORT_ASC = 1;
const SORT_DESC = 2;

/** A match (Redis's geoPoint). */
interface GeoPoint {
  longitude: number;
  latitude: number;
  /** Meters until the reply converts it to the unit. */
  dist: number;
  score: number;
  member: string;
}

/** Redis's sort_gp_asc. */
function sortAsc(a: GeoPoint, b: GeoPoint): number {
  return a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1;
}

function sortDesc(a: GeoPoint, b: GeoPoint): number {
  return -sortAsc(a, b);
}

/**
 * Redis's geoGetPointsInRange: members with min <= score < max that are inside the shape,
 * appended to `out`, stopping once `limit` (0: none) points were collected.
 */
function pointsInRange(
  zset: ZsetValue,
  min: number,
  max: number,
  shape: GeoShape,
  out: GeoPoint[],
  limit: number,
): void {
  const first = zset.firstInScoreRange({ min, max, minex: false, maxex: true });
  if (first < 0) return;
  const xy: [number, number] = [0, 0];
  zset.walk(first, false, (member, score) => {
    if (!(score < max)) return false;
    decodeScore(score, xy);
    const dist = distanceIfWithin(shape, xy[0], xy[1]);
    if (dist >= 0) out.push({ longitude: xy[0], latitude: xy[1], dist, score, member });
    return !(out.length && limit && out.length >= limit);
  });
}

/** Redis's membersOfAllNeighbors: scans the cells, skipping a repeat of the last cell scanned. */
function membersOfAllNeighbors(zset: ZsetValue, shape: GeoShape, limit: number): GeoPoint[] {
  const cells = searchCells(shape);
  const out: GeoPoint[] = [];
  let lastProcessed = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell === null || cell === undefined) continue;
    const last: HashBits | null | undefined = cells[lastProcessed];
    // As in Redis, a repeat is only detected once a cell other than the centre was scanned.
    if (lastProcessed && last && cell.bits === last.bits && cell.step === last.step) continue;
    if (out.length && limit && out.length >= limit) break;
    const { min, max } = scoresOfCell(cell);
    pointsInRange(zset, min, max, shape, out, limit);
    lastProcessed = i;
  }
  return out;
}

/** Parsed options of a search. */
interface SearchOptions {
  withdist: boolean;
  withhash: boolean;
  withcoords: boolean;
  sort: number;
  any: boolean;
  count: number;
  storekey: string | null;
  storedist: boolean;
}

/** Redis's georadiusGeneric. `srcKeyIndex` is where the source key is; `flags` the variant. */
function georadiusGeneric(c: Client, srcKeyIndex: number, flags: number): void {
  const argv = c.argv;
  const zset = lookupZsetRead(c, argv[srcKeyIndex]!);
  const shape: GeoShape = {
    circle: true,
    longitude: 0,
    latitude: 0,
    radius: 0,
    width: 0,
    height: 0,
    conversion: 0,
  };
  const setCentre = (xy: [number, number]): void => {
    shape.longitude = xy[0];
    shape.latitude = xy[1];
  };
  const memberPosition = (member: string): [number, number] => {
    const score = zset!.score(member);
    if (score === undefined) throw new RedisError(GeoErr.memberNotFound);
    const xy: [number, number] = [0, 0];
    decodeScore(score, xy);
    return xy;
  };
  const setRadius = (at: number): void => {
    const { radius, conversion } = readDistance(argv, at);
    shape.circle = true;
    shape.radius = radius;
    shape.conversion = conversion;
  };
  let baseArgs: number;
  const opts: SearchOptions = {
    withdist: false,
    withhash: false,
    withcoords: false,
    sort: SORT_NONE,
    any: false,
    count: 0,
    storekey: null,
    storedist: false,
  };
  if (flags & RADIUS_COORDS) {
    baseArgs = 6;
    setCentre(readLonLat(argv, 2));
    setRadius(baseArgs - 2);
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5;
    // Without a source key Redis parses the options only, to pick the empty reply.
    if (zset !== undefined) {
      setCentre(memberPosition(argv[2]!));
      setRadius(baseArgs - 2);
    }
  } else {
    baseArgs = 2;
    if (flags & GEOSEARCHSTORE) {
      baseArgs = 3;
      opts.storekey = argv[1]!;
    }
  }
  let frommember = false;
  let fromloc = false;
  let byradius = false;
  let bybox = false;
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const arg = argv[baseArgs + i]!;
    const at = baseArgs + i + 1;
    if (eqi(arg, "withdist")) opts.withdist = true;
    else if (eqi(arg, "withhash")) opts.withhash = true;
    else if (eqi(arg, "withcoord")) opts.withcoords = true;
    else if (eqi(arg, "any")) opts.any = true;
    else if (eqi(arg, "asc")) opts.sort = SORT_ASC;
    else if (eqi(arg, "desc")) opts.sort = SORT_DESC;
    else if (eqi(arg, "count") && i + 1 < remaining) {
      const count = readBigInt(argv[at]!);
      if (count <= 0n) throw new RedisError(GeoErr.countPositive);
      opts.count = Number(count);
      i++;
    } else if (
      (eqi(arg, "store") || eqi(arg, "storedist")) &&
      i + 1 < remaining &&
      !(flags & RADIUS_NOSTORE) &&
      !(flags & GEOSEARCH)
    ) {
      opts.storekey = argv[at]!;
      opts.storedist = eqi(arg, "storedist");
      i++;
    } else if (eqi(arg, "storedist") && flags & GEOSEARCH && flags & GEOSEARCHSTORE) {
      opts.storedist = true;
    } else if (eqi(arg, "frommember") && i + 1 < remaining && flags & GEOSEARCH && !fromloc) {
      if (zset !== undefined) setCentre(memberPosition(argv[at]!));
      frommember = true;
      i++;
    } else if (eqi(arg, "fromlonlat") && i + 2 < remaining && flags & GEOSEARCH && !frommember) {
      setCentre(readLonLat(argv, at));
      fromloc = true;
      i += 2;
    } else if (eqi(arg, "byradius") && i + 2 < remaining && flags & GEOSEARCH && !bybox) {
      setRadius(at);
      byradius = true;
      i += 2;
    } else if (eqi(arg, "bybox") && i + 3 < remaining && flags & GEOSEARCH && !byradius) {
      const { width, height, conversion } = readBox(argv, at);
      shape.circle = false;
      shape.width = width;
      shape.height = height;
      shape.conversion = conversion;
      bybox = true;
      i += 3;
    } else {
      throw new RedisError(Err.syntax);
    }
  }
  if (opts.storekey !== null && (opts.withdist || opts.withhash || opts.withcoords)) {
    throw new RedisError(
      GeoErr.storeWithOptions(flags & GEOSEARCHSTORE ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS"),
    );
  }
  if (flags & GEOSEARCH && !(frommember || fromloc)) throw new RedisError(GeoErr.fromRequired(argv[0]!));
  if (flags & GEOSEARCH && !(byradius || bybox)) throw new RedisError(GeoErr.byRequired(argv[0]!));
  if (opts.any && !opts.count) throw new RedisError(GeoErr.anyRequiresCount);

  if (zset === undefined) {
    if (opts.storekey !== null) {
      deleteStoreKey(c, opts.storekey);
      c.reply.integer(0);
    } else {
      c.reply.array(0);
    }
    return;
  }
  // COUNT without an order means the closest ones (not with ANY).
  if (opts.count !== 0 && opts.sort === SORT_NONE && !opts.any) opts.sort = SORT_ASC;
  const points = membersOfAllNeighbors(zset, shape, opts.any ? opts.count : 0);
  if (points.length === 0 && opts.storekey === null) {
    c.reply.array(0);
    return;
  }
  const resultLength = points.length;
  const returned = opts.count === 0 || resultLength < opts.count ? resultLength : opts.count;
  if (opts.sort !== SORT_NONE) {
    const cmp = opts.sort === SORT_ASC ? sortAsc : sortDesc;
    // A full sort is glibc's qsort, a stable merge sort; a partial one Redis's pqsort.
    if (returned === resultLength) points.sort(cmp);
    else partialQuicksort(points, cmp, 0, returned - 1);
  }
  if (opts.storekey === null) replyPoints(c, points, returned, shape.conversion, opts);
  else
    storePoints(
      c,
      points,
      returned,
      shape.conversion,
      opts,
      flags & GEOSEARCH ? "geosearchstore" : "georadiusstore",
    );
}

/** Deletes the destination of an empty stored search, with Redis's signals. */
function deleteStoreKey(c: Client, key: string): void {
  if (c.db.delete(key)) c.server.keyspace.notify(c.db, NotifyClass.generic, "del", key);
}

/** The reply of a search without STORE: members, or arrays with the WITH* fields. */
function replyPoints(
  c: Client,
  points: GeoPoint[],
  returned: number,
  conversion: number,
  opts: SearchOptions,
): void {
  const optionLength = (opts.withdist ? 1 : 0) + (opts.withcoords ? 1 : 0) + (opts.withhash ? 1 : 0);
  c.reply.array(returned);
  for (let i = 0; i < returned; i++) {
    const gp = points[i]!;
    if (optionLength) c.reply.array(optionLength + 1);
    c.reply.bulk(gp.member);
    if (opts.withdist) c.reply.bulk(formatDistance(gp.dist / conversion));
    if (opts.withhash) c.reply.integer(scoreToInt64(gp.score));
    if (opts.withcoords) {
      c.reply.array(2);
      replyCoordinate(c, gp.longitude);
      replyCoordinate(c, gp.latitude);
    }
  }
}

/** STORE / STOREDIST: the matches as a sorted set (scores: geohashes, or distances in the unit). */
function storePoints(
  c: Client,
  points: GeoPoint[],
  returned: number,
  conversion: number,
  opts: SearchOptions,
  event: string,
): void {
  const key = opts.storekey!;
  if (returned === 0) {
    deleteStoreKey(c, key);
    c.reply.integer(0);
    return;
  }
  const entries = points.slice(0, returned).map((gp) => ({
    member: gp.member,
    score: opts.storedist ? gp.dist / conversion : gp.score,
  }));
  entries.sort((a, b) => a.score - b.score || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
  let maxLength = 0;
  for (const e of entries) if (e.member.length > maxLength) maxLength = e.member.length;
  const limits = zsetLimits(c);
  const listpack = entries.length <= limits.maxEntries && maxLength <= limits.maxValue;
  const zset = ZsetValue.fromSorted(
    entries.map((e) => e.member),
    entries.map((e) => e.score),
    listpack,
  );
  c.db.setKey(key, zset);
  c.server.keyspace.notify(c.db, NotifyClass.zset, event, key);
  c.reply.integer(returned);
}

/** GEORADIUS key longitude latitude radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC] [STORE key | STOREDIST key] */
export function georadiusCommand(c: Client): void {
  georadiusGeneric(c, 1, RADIUS_COORDS);
}

/** GEORADIUS_RO key longitude latitude radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC] */
export function georadiusroCommand(c: Client): void {
  georadiusGeneric(c, 1, RADIUS_COORDS | RADIUS_NOSTORE);
}

/** GEORADIUSBYMEMBER key member radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC] [STORE key | STOREDIST key] */
export function georadiusbymemberCommand(c: Client): void {
  georadiusGeneric(c, 1, RADIUS_MEMBER);
}

/** GEORADIUSBYMEMBER_RO key member radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC] */
export function georadiusbymemberroCommand(c: Client): void {
  georadiusGeneric(c, 1, RADIUS_MEMBER | RADIUS_NOSTORE);
}

/** GEOSEARCH key <FROMMEMBER member | FROMLONLAT lon lat> <BYRADIUS r unit | BYBOX w h unit> [ASC | DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH] */
export function geosearchCommand(c: Client): void {
  georadiusGeneric(c, 1, GEOSEARCH);
}

/** GEOSEARCHSTORE destination source <FROMMEMBER member | FROMLONLAT lon lat> <BYRADIUS r unit | BYBOX w h unit> [ASC | DESC] [COUNT count [ANY]] [STOREDIST] */
export function geosearchstoreCommand(c: Client): void {
  georadiusGeneric(c, 2, GEOSEARCH | GEOSEARCHSTORE);
}
