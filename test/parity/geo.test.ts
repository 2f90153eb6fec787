/**
 * Parity cases for the geo commands: GEOADD, GEOPOS, GEOHASH, GEODIST, GEORADIUS(_RO),
 * GEORADIUSBYMEMBER(_RO), GEOSEARCH and GEOSEARCHSTORE, errors included, and searches over
 * thousands of points (clusters, duplicates, the antimeridian, near the poles) with every option.
 *
 * One thing is compared loosely, on purpose: full-precision distances stored by STOREDIST (or any
 * 17-digit distance). Redis computes them with glibc's sin/cos/asin, reddish with V8's, and the two
 * libms differ in the last bit for about 2% of arguments. Stored distances are checked through
 * the member order instead, and exactly where no trigonometry is involved (same longitude).
 * Distances printed with 4 decimals (GEODIST, WITHDIST) and every membership decision are compared
 * exactly.
 */
import { paritySuite, type ParityCase, type Step } from "./harness.js";

const ERRORS: ParityCase = {
  name: "arity, wrong type and argument errors",
  steps: [
    ["GEOADD", "k", "1", "2"],
    ["GEOADD", "k", "1", "2", "m", "3"],
    ["GEOADD", "k", "nx", "xx", "1", "2", "m"],
    ["GEOADD", "k", "ch", "ch", "ch"],
    ["GEOADD", "k", "gt", "1", "2", "m"],
    ["GEOADD", "k", "gt", "1", "2"],
    ["GEOADD", "k", "200", "10", "m"],
    ["GEOADD", "k", "10", "86", "m"],
    ["GEOADD", "k", "-0", "100", "m"],
    ["GEOADD", "k", "1e300", "0", "m"],
    ["GEOADD", "k", "0.0078125", "-86", "m"],
    ["GEOADD", "k", "inf", "0", "m"],
    ["GEOADD", "k", "-inf", "0", "m"],
    ["GEOADD", "k", "x", "0", "m"],
    ["GEOADD", "k", "0", "nan", "m"],
    ["GEOADD", "k", "1", "1", "ok", "1", "100", "bad"],
    ["EXISTS", "k"],
    ["GEOPOS"],
    ["GEOHASH"],
    ["GEODIST", "k", "a"],
    ["GEORADIUS", "k", "1", "2", "3"],
    ["GEORADIUS_RO", "k", "1", "2", "3"],
    ["GEORADIUSBYMEMBER", "k", "m", "3"],
    ["GEORADIUSBYMEMBER_RO", "k", "m", "3"],
    ["GEOSEARCH", "k", "FROMLONLAT", "1", "2"],
    ["GEOSEARCHSTORE", "d", "k", "FROMLONLAT", "1", "2"],
    ["SET", "str", "x"],
    ["GEOADD", "str", "1", "1", "m"],
    ["GEOPOS", "str", "m"],
    ["GEOHASH", "str", "m"],
    ["GEODIST", "str", "a", "b"],
    ["GEODIST", "str", "a", "b", "furlong"],
    ["GEORADIUS", "str", "1", "1", "1", "m"],
    ["GEORADIUSBYMEMBER", "str", "a", "1", "m"],
    ["GEOSEARCH", "str", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "m"],
    ["GEOSEARCHSTORE", "d", "str", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "m"],
    ["GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"],
    ["GEODIST", "g", "Palermo", "Catania", "yd"],
    ["GEODIST", "g", "Palermo", "Catania", "km", "x"],
    ["GEORADIUS", "g", "15", "37", "-1", "km"],
    ["GEORADIUS", "g", "15", "37", "x", "km"],
    ["GEORADIUS", "g", "15", "37", "1", "kmx"],
    ["GEORADIUS", "g", "15", "100", "1", "km"],
    ["GEORADIUS", "g", "15", "37", "200", "km", "COUNT", "0"],
    ["GEORADIUS", "g", "15", "37", "200", "km", "COUNT", "-3"],
    ["GEORADIUS", "g", "15", "37", "200", "km", "COUNT", "x"],
    ["GEORADIUS", "g", "15", "37", "200", "km", "COUNT"],
    ["GEORADIUS", "g", "15", "37", "200", "km", "ANY"],
    ["GEORADIUS", "g", "15", "37", "200", "km", "STORE"],
    ["GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d", "WITHDIST"],
    ["GEORADIUS", "g", "15", "37", "200", "km", "WITHHASH", "STOREDIST", "d"],
    ["GEORADIUS", "g", "15", "37", "200", "km", "FROMMEMBER", "Palermo"],
    ["GEORADIUS", "g", "15", "37", "200", "km", "BYRADIUS", "1", "km"],
    ["GEORADIUS_RO", "g", "15", "37", "200", "km", "STORE", "d"],
    ["GEORADIUSBYMEMBER_RO", "g", "Palermo", "200", "km", "STOREDIST", "d"],
    ["GEORADIUSBYMEMBER", "g", "nobody", "200", "km"],
    ["GEORADIUSBYMEMBER", "g", "Palermo", "x", "km"],
    ["GEORADIUSBYMEMBER", "missing", "m", "x", "y"],
    ["GEORADIUSBYMEMBER", "missing", "m", "1", "km", "bogus"],
    ["GEORADIUSBYMEMBER", "missing", "m", "1", "km", "STORE", "d", "WITHDIST"],
    ["GEOSEARCH", "g", "BYRADIUS", "100", "km"],
    ["geosearch", "g", "BYRADIUS", "100", "km"],
    ["GeoSearch", "g", "FROMMEMBER", "Palermo", "ASC"],
    ["GEOSEARCH", "g", "FROMMEMBER", "Palermo", "BYRADIUS", "100", "km", "ANY"],
    ["GEOSEARCH", "g", "FROMMEMBER", "nobody", "BYRADIUS", "100", "km"],
    ["GEOSEARCH", "missing", "FROMMEMBER", "nobody", "BYRADIUS", "100", "km"],
    ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "m"],
    ["GEOSEARCH", "g", "FROMMEMBER", "Palermo", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m"],
    ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m", "BYBOX", "1", "1", "km"],
    ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYBOX", "1", "1", "km", "BYRADIUS", "1", "m"],
    ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYBOX", "-1", "1", "km"],
    ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYBOX", "a", "1", "km"],
    ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYBOX", "1", "b", "km"],
    ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYBOX", "1", "1", "kmx"],
    ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYBOX", "1", "1"],
    ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "1000", "km", "STOREDIST"],
    ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "1000", "km", "STORE", "x"],
    ["GEOSEARCH", "g", "FROMLONLAT", "200", "37", "BYRADIUS", "1000", "km"],
    ["GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "1000", "km", "WITHCOORD"],
    ["GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "1000", "km", "STORE", "x"],
    ["GEOSEARCHSTORE", "d", "g", "BYRADIUS", "1000", "km"],
    ["EXISTS", "d"],
  ],
};

const BASICS: ParityCase = {
  name: "GEOADD options, GEOPOS, GEOHASH, GEODIST and geo sets as sorted sets",
  steps: [
    ["GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"],
    ["TYPE", "Sicily"],
    ["ZRANGE", "Sicily", "0", "-1", "WITHSCORES"],
    ["OBJECT", "ENCODING", "Sicily"],
    ["GEODIST", "Sicily", "Palermo", "Catania"],
    ["GEODIST", "Sicily", "Palermo", "Catania", "km"],
    ["GEODIST", "Sicily", "Palermo", "Catania", "MI"],
    ["GEODIST", "Sicily", "Palermo", "Catania", "Ft"],
    ["GEODIST", "Sicily", "Palermo", "Palermo"],
    ["GEODIST", "Sicily", "Palermo", "nobody"],
    ["GEODIST", "Sicily", "nobody", "Palermo"],
    ["GEODIST", "missing", "a", "b"],
    ["GEOPOS", "Sicily", "Palermo", "Catania", "nobody"],
    ["GEOPOS", "missing", "a", "b"],
    ["GEOPOS", "Sicily"],
    ["GEOHASH", "Sicily", "Palermo", "Catania", "nobody"],
    ["GEOHASH", "missing", "a"],
    ["GEOADD", "Sicily", "13.361389", "38.115556", "Palermo"],
    ["GEOADD", "Sicily", "CH", "13.361389", "38.115556", "Palermo", "13.5", "38", "Catania"],
    ["GEOADD", "Sicily", "NX", "CH", "1", "2", "Palermo", "3", "4", "Agrigento"],
    ["GEOADD", "Sicily", "XX", "1", "2", "Palermo", "5", "6", "Enna"],
    ["GEOADD", "Sicily", "xx", "ch", "xx", "1", "2", "Palermo", "5", "6", "Enna"],
    ["ZRANGE", "Sicily", "0", "-1", "WITHSCORES"],
    ["GEOADD", "edges", "180", "85.05112878", "ne", "-180", "-85.05112878", "sw", "0", "0", "origin"],
    [
      "GEOADD",
      "edges",
      "-180",
      "85.05112878",
      "nw",
      "180",
      "-85.05112878",
      "se",
      "179.9999999",
      "0.0000001",
      "e",
    ],
    ["ZRANGE", "edges", "0", "-1", "WITHSCORES"],
    ["GEOPOS", "edges", "ne", "sw", "origin", "nw", "se", "e"],
    ["GEOHASH", "edges", "ne", "sw", "origin", "nw", "se", "e"],
    ["GEODIST", "edges", "ne", "sw", "km"],
    ["GEODIST", "edges", "nw", "ne"],
    // Scores that no GEOADD produces still decode as Redis decodes them.
    [
      "ZADD",
      "weird",
      "-5",
      "neg",
      "1e20",
      "big",
      "3.7",
      "frac",
      "inf",
      "inf",
      "-inf",
      "ninf",
      "4503599627370496",
      "top",
    ],
    ["GEOPOS", "weird", "neg", "big", "frac", "inf", "ninf", "top"],
    ["GEOHASH", "weird", "neg", "big", "frac", "inf", "ninf", "top"],
    ["GEODIST", "weird", "neg", "frac"],
    ["GEORADIUS", "weird", "0", "0", "30000", "km", "WITHHASH", "WITHCOORD"],
    [
      "GEOADD",
      "big",
      "ch",
      ...Array.from({ length: 200 }, (_, i) => [String(i * 0.5 - 50), String(i * 0.4 - 40), `p${i}`]).flat(),
    ],
    ["OBJECT", "ENCODING", "big"],
    ["ZRANGE", "big", "0", "9", "WITHSCORES"],
    ["GEOPOS", "big", "p0", "p77", "p199"],
    ["MULTI"],
    ["GEOADD", "t", "1", "1", "a"],
    ["GEOADD", "t", "1", "100", "b"],
    ["GEOPOS", "t", "a", "b"],
    ["EXEC"],
  ],
};

/** A deterministic pseudo-random source (a 31-bit LCG), so both servers see the same points. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** Points in clusters, duplicates, both sides of the antimeridian and near the poles. */
function makePoints(rnd: () => number, n: number): [number, number][] {
  const pts: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    let p: [number, number];
    if (r < 0.3) p = [13 + rnd() * 3, 37 + rnd() * 2];
    else if (r < 0.4) p = [179.5 + rnd() * 0.5, rnd() * 10 - 5];
    else if (r < 0.45) p = [-180 + rnd() * 0.5, rnd() * 10 - 5];
    else if (r < 0.5) p = [rnd() * 360 - 180, 84 + rnd() * 1.05];
    else if (r < 0.56 && pts.length > 0) p = pts[Math.floor(rnd() * pts.length)]!;
    else p = [rnd() * 360 - 180, rnd() * 170 - 85];
    pts.push(p);
  }
  return pts;
}

const UNITS: Record<string, number> = { m: 1, km: 1000, ft: 0.3048, mi: 1609.34 };

/** Every search command with random centres, radii, boxes, units and options. */
function searchSteps(seed: number, n: number, queries: number): Step[] {
  const rnd = lcg(seed);
  const pts = makePoints(rnd, n);
  const steps: Step[] = [];
  for (let b = 0; b < n; b += 500) {
    const add = ["GEOADD", "g"];
    for (let i = b; i < Math.min(n, b + 500); i++)
      add.push(pts[i]![0].toFixed(6), pts[i]![1].toFixed(6), `m${i}`);
    steps.push({ cmd: add });
  }
  const small = ["GEOADD", "s"];
  for (let i = 0; i < 100; i++) small.push(pts[i]![0].toFixed(6), pts[i]![1].toFixed(6), `m${i}`);
  steps.push({ cmd: small }, { cmd: ["OBJECT", "ENCODING", "s"] }, { cmd: ["OBJECT", "ENCODING", "g"] });
  const unitNames = Object.keys(UNITS);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  for (let q = 0; q < queries; q++) {
    const key = rnd() < 0.2 ? "s" : "g";
    const p = pick(pts);
    const lon = (rnd() < 0.5 ? p[0] : rnd() * 360 - 180).toFixed(5);
    const lat = (rnd() < 0.5 ? p[1] : rnd() * 170 - 85).toFixed(5);
    const unit = pick(unitNames);
    const meters = pick([0, 1, 100, 5000, 50000, 200000, 1000000, 5000000]);
    const radius = String(meters / UNITS[unit]!);
    const opts: string[] = [];
    if (rnd() < 0.5) opts.push("WITHDIST");
    if (rnd() < 0.3) opts.push("WITHCOORD");
    if (rnd() < 0.3) opts.push("WITHHASH");
    const s = rnd();
    if (s < 0.3) opts.push("ASC");
    else if (s < 0.5) opts.push("DESC");
    if (rnd() < 0.4) {
      opts.push("COUNT", String(1 + Math.floor(rnd() * 50)));
      if (rnd() < 0.3) opts.push("ANY");
    }
    const member = `m${Math.floor(rnd() * 100)}`;
    const from = rnd() < 0.5 ? ["FROMMEMBER", member] : ["FROMLONLAT", lon, lat];
    const by =
      rnd() < 0.5
        ? ["BYRADIUS", radius, unit]
        : ["BYBOX", radius, String(Number(radius) * (0.2 + rnd() * 2)), unit];
    const kind = rnd();
    if (kind < 0.2) steps.push({ cmd: ["GEORADIUS", key, lon, lat, radius, unit, ...opts] });
    else if (kind < 0.3) steps.push({ cmd: ["GEORADIUS_RO", key, lon, lat, radius, unit, ...opts] });
    else if (kind < 0.4) steps.push({ cmd: ["GEORADIUSBYMEMBER", key, member, radius, unit, ...opts] });
    else if (kind < 0.45) steps.push({ cmd: ["GEORADIUSBYMEMBER_RO", key, member, radius, unit, ...opts] });
    else if (kind < 0.8) steps.push({ cmd: ["GEOSEARCH", key, ...from, ...by, ...opts] });
    else {
      const storeOpts = opts.filter((o) => !o.startsWith("WITH"));
      const dist = rnd() < 0.5;
      if (rnd() < 0.5) {
        steps.push({
          cmd: ["GEOSEARCHSTORE", "dst", key, ...from, ...by, ...storeOpts, ...(dist ? ["STOREDIST"] : [])],
        });
      } else {
        steps.push({
          cmd: ["GEORADIUS", key, lon, lat, radius, unit, ...storeOpts, dist ? "STOREDIST" : "STORE", "dst"],
        });
      }
      // Stored distances carry libm's last bits (see the file comment): compare them rounded.
      steps.push({ cmd: dist ? ["ZRANGE", "dst", "0", "-1"] : ["ZRANGE", "dst", "0", "-1", "WITHSCORES"] });
      steps.push({ cmd: ["ZCARD", "dst"] }, { cmd: ["OBJECT", "ENCODING", "dst"] });
      if (dist) steps.push({ cmd: ["ZCOUNT", "dst", "-inf", String(Number(radius) / 2)] });
    }
  }
  for (let i = 0; i < 150; i++) {
    steps.push({
      cmd: ["GEODIST", "g", `m${Math.floor(rnd() * n)}`, `m${Math.floor(rnd() * n)}`, unitNames[i % 4]!],
    });
  }
  const pos = ["GEOPOS", "g"];
  const hashes = ["GEOHASH", "g"];
  for (let i = 0; i < n; i += 3) {
    pos.push(`m${i}`);
    hashes.push(`m${i}`);
  }
  steps.push({ cmd: pos }, { cmd: hashes });
  return steps;
}

const SEARCH_1: ParityCase = {
  name: "3000 points: searches with every option (seed 1)",
  steps: searchSteps(1, 3000, 300),
};
const SEARCH_2: ParityCase = {
  name: "3000 points: searches with every option (seed 2)",
  steps: searchSteps(2, 3000, 300),
};

const STORE: ParityCase = {
  name: "STORE, STOREDIST and GEOSEARCHSTORE destinations",
  steps: [
    // Points on the centre's meridian: their distances need no trigonometry, so are exact.
    ["GEOADD", "line", ...Array.from({ length: 150 }, (_, i) => ["10", String(i * 0.01), `p${i}`]).flat()],
    ["GEORADIUS", "line", "10", "0", "50", "km", "STOREDIST", "d1"],
    ["ZRANGE", "d1", "0", "-1", "WITHSCORES"],
    ["OBJECT", "ENCODING", "d1"],
    ["GEORADIUS", "line", "10", "0", "5", "km", "STOREDIST", "d1"],
    ["ZRANGE", "d1", "0", "-1", "WITHSCORES"],
    ["OBJECT", "ENCODING", "d1"],
    [
      "GEOSEARCHSTORE",
      "d2",
      "line",
      "FROMLONLAT",
      "10",
      "0.5",
      "BYBOX",
      "1",
      "30",
      "km",
      "STOREDIST",
      "COUNT",
      "7",
      "DESC",
    ],
    ["ZRANGE", "d2", "0", "-1", "WITHSCORES"],
    ["GEOSEARCHSTORE", "d2", "line", "FROMMEMBER", "p3", "BYRADIUS", "3", "km", "COUNT", "4"],
    ["ZRANGE", "d2", "0", "-1", "WITHSCORES"],
    ["GEORADIUSBYMEMBER", "line", "p10", "2", "km", "STORE", "d3", "COUNT", "3", "ANY"],
    ["ZRANGE", "d3", "0", "-1", "WITHSCORES"],
    ["GEOSEARCHSTORE", "d2", "line", "FROMLONLAT", "50", "50", "BYRADIUS", "1", "km"],
    ["EXISTS", "d2"],
    ["GEORADIUS", "line", "50", "50", "1", "km", "STORE", "d3"],
    ["EXISTS", "d3"],
    ["GEORADIUS", "missing", "50", "50", "1", "km", "STORE", "d1"],
    ["EXISTS", "d1"],
    ["SET", "d1", "x"],
    ["GEOSEARCHSTORE", "d1", "line", "FROMLONLAT", "10", "0", "BYRADIUS", "1", "km"],
    ["TYPE", "d1"],
    ["CONFIG", "SET", "zset-max-listpack-value", "2"],
    ["GEOSEARCHSTORE", "d1", "line", "FROMLONLAT", "10", "0", "BYRADIUS", "1", "km"],
    ["OBJECT", "ENCODING", "d1"],
    ["CONFIG", "SET", "zset-max-listpack-value", "64"],
    ["GEOSEARCHSTORE", "line", "line", "FROMLONLAT", "10", "0", "BYRADIUS", "2", "km"],
    ["ZRANGE", "line", "0", "-1", "WITHSCORES"],
  ],
};

const TIES: ParityCase = {
  name: "equal distances under COUNT (Redis's partial quicksort) and ANY",
  steps: [
    [
      "GEOADD",
      "t",
      ...Array.from({ length: 120 }, (_, i) => [
        String(5 + (i % 3) * 0.01),
        String(5 + (i % 4) * 0.01),
        `t${i}`,
      ]).flat(),
    ],
    ["GEORADIUS", "t", "5", "5", "100", "km", "COUNT", "5"],
    ["GEORADIUS", "t", "5", "5", "100", "km", "COUNT", "17", "DESC"],
    ["GEORADIUS", "t", "5", "5", "100", "km", "COUNT", "40", "ASC", "WITHDIST"],
    ["GEORADIUS", "t", "5", "5", "100", "km", "COUNT", "119"],
    ["GEORADIUS", "t", "5", "5", "100", "km", "COUNT", "120"],
    ["GEORADIUS", "t", "5", "5", "100", "km", "ASC"],
    ["GEORADIUS", "t", "5", "5", "100", "km", "DESC"],
    ["GEORADIUS", "t", "5", "5", "100", "km"],
    ["GEORADIUS", "t", "5", "5", "100", "km", "COUNT", "6", "ANY"],
    ["GEORADIUS", "t", "5", "5", "100", "km", "COUNT", "6", "ANY", "DESC"],
    ["GEOSEARCH", "t", "FROMMEMBER", "t7", "BYBOX", "5", "5", "km", "COUNT", "9", "WITHCOORD"],
  ],
};

paritySuite("geo", [ERRORS, BASICS, SEARCH_1, SEARCH_2, STORE, TIES]);
