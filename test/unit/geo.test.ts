/** Geo internals: the geohash encoding round trip. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeScore, geoDistance, geohashScoreOf, geohashString } from "../../src/util/geohash.js";

test("scores decode to the centre of their cell, close to the encoded position", () => {
  const xy: [number, number] = [0, 0];
  for (const [lon, lat] of [
    [13.361389, 38.115556],
    [-122.4194, 37.7749],
    [179.9999, -85.05],
    [0, 0],
  ] as const) {
    decodeScore(Number(geohashScoreOf(lon, lat)), xy);
    assert.ok(
      Math.abs(xy[0] - lon) < 1e-5 && Math.abs(xy[1] - lat) < 1e-5,
      `${lon},${lat} -> ${xy.join(",")}`,
    );
  }
  // Redis's documented examples.
  assert.equal(geohashScoreOf(13.361389, 38.115556), 3479099956230698n);
  assert.equal(geohashString(13.361389338970184, 38.1155563954963), "sqc8b49rny0");
  assert.equal(geoDistance(13.361389, 38.115556, 13.361389, 38.115556), 0);
});
