/**
 * Geo commands, following Redis 7.0's geo.c: positions are sorted-set members whose scores are
 * 52-bit geohashes (so geo sets are zsets, and ZRANGE & co work on them). GEOADD, GEOPOS, GEOHASH
 * and GEODIST live here; the searches (GEORADIUS*, GEOSEARCH*) in `geo-search.ts`.
 */
import { Err, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { decodeScore, geoDistance, geohashScoreOf, geohashString } from "../util/geohash.js";
import { eqi } from "./args.js";
import { formatDistance, readLonLat, readUnit, replyCoordinate } from "./geo-common.js";
import {
  georadiusbymemberCommand,
  georadiusbymemberroCommand,
  georadiusCommand,
  georadiusroCommand,
  geosearchCommand,
  geosearchstoreCommand,
} from "./geo-search.js";
import type { CommandDefinition } from "./spec.js";
import { zaddCommand } from "./zset.js";
import { lookupZsetRead } from "./zset-common.js";

/**
 * GEOADD key [NX | XX] [CH] longitude latitude member [longitude latitude member ...]
 *
 * As in Redis, the arguments are rewritten as a ZADD (scores are the members' geohashes) and ZADD
 * does the rest: its replies, errors and keyspace events.
 */
function geoaddCommand(c: Client): void {
  const argv = c.argv;
  let xx = false;
  let nx = false;
  let longidx = 2;
  for (; longidx < argv.length; longidx++) {
    const opt = argv[longidx]!;
    if (eqi(opt, "nx")) nx = true;
    else if (eqi(opt, "xx")) xx = true;
    else if (!eqi(opt, "ch")) break;
  }
  if ((argv.length - longidx) % 3 !== 0 || (xx && nx)) throw new RedisError(Err.syntax);
  const zaddArgv = ["zadd", ...argv.slice(1, longidx)];
  for (let i = longidx; i < argv.length; i += 3) {
    const [lon, lat] = readLonLat(argv, i);
    zaddArgv.push(geohashScoreOf(lon, lat).toString(), argv[i + 2]!);
  }
  c.argv = zaddArgv;
  try {
    zaddCommand(c);
  } finally {
    c.argv = argv;
  }
}

/**
 * GEOPOS and GEOHASH: one reply per member, `missing` for members (or a key) that do not exist,
 * else `found` with the member's decoded position.
 */
function perMemberPosition(c: Client, missing: () => void, found: (xy: [number, number]) => void): void {
  const argv = c.argv;
  const zset = lookupZsetRead(c, argv[1]!);
  const xy: [number, number] = [0, 0];
  c.reply.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = zset?.score(argv[j]!);
    if (score === undefined) missing();
    else {
      decodeScore(score, xy);
      found(xy);
    }
  }
}

/** GEOPOS key [member [member ...]] */
function geoposCommand(c: Client): void {
  perMemberPosition(
    c,
    () => c.reply.nullArray(),
    (xy) => {
      c.reply.array(2);
      replyCoordinate(c, xy[0]);
      replyCoordinate(c, xy[1]);
    },
  );
}

/** GEOHASH key [member [member ...]] */
function geohashCommand(c: Client): void {
  // Decoded, then re-encoded with the standard ranges (±90° latitude) for a standard geohash.
  perMemberPosition(
    c,
    () => c.reply.nullBulk(),
    (xy) => c.reply.bulk(geohashString(xy[0], xy[1])),
  );
}

/** GEODIST key member1 member2 [M | KM | FT | MI] */
function geodistCommand(c: Client): void {
  const argv = c.argv;
  let toMeter = 1;
  if (argv.length === 5) toMeter = readUnit(argv[4]!);
  else if (argv.length > 5) throw new RedisError(Err.syntax);
  const zset = lookupZsetRead(c, argv[1]!);
  const score1 = zset?.score(argv[2]!);
  const score2 = score1 === undefined ? undefined : zset!.score(argv[3]!);
  if (score1 === undefined || score2 === undefined) {
    c.reply.nullBulk();
    return;
  }
  const a: [number, number] = [0, 0];
  const b: [number, number] = [0, 0];
  decodeScore(score1, a);
  decodeScore(score2, b);
  c.reply.bulk(formatDistance(geoDistance(a[0], a[1], b[0], b[1]) / toMeter));
}

/** The geo commands. */
export const geoCommands: CommandDefinition[] = [
  { name: "geoadd", handler: geoaddCommand },
  { name: "geopos", handler: geoposCommand },
  { name: "geohash", handler: geohashCommand },
  { name: "geodist", handler: geodistCommand },
  { name: "georadius", handler: georadiusCommand },
  { name: "georadius_ro", handler: georadiusroCommand },
  { name: "georadiusbymember", handler: georadiusbymemberCommand },
  { name: "georadiusbymember_ro", handler: georadiusbymemberroCommand },
  { name: "geosearch", handler: geosearchCommand },
  { name: "geosearchstore", handler: geosearchstoreCommand },
];
