/**
 * The `pubsub` part of `npm run bench`: PUBLISH fan-out. BENCH_SUBSCRIBERS (50) raw connections
 * SUBSCRIBE to one channel; one publisher sends BENCH_PUBSUB_N (20000) PUBLISH commands of
 * BENCH_PUBSUB_SIZE-byte (64) messages, keeping BENCH_PUBSUB_WINDOW (32) in flight. The time runs
 * until every subscriber has received every message; the figure is messages delivered per
 * second (N x subscribers / time). redis-benchmark has no pub/sub mode, hence this small driver
 * (it counts bytes, since every message has the same size). Servers alternate over BENCH_ROUNDS
 * rounds; the best run of each is kept.
 */
import net from "node:net";
import { fmtInt, pad, startRedis, startReddish, type Server } from "./common.js";

const env = process.env;
const SUBSCRIBERS = Number(env.BENCH_SUBSCRIBERS ?? 50);
const MESSAGES = Number(env.BENCH_PUBSUB_N ?? 20_000);
const SIZE = Number(env.BENCH_PUBSUB_SIZE ?? 64);
const WINDOW = Number(env.BENCH_PUBSUB_WINDOW ?? 32);
const ROUNDS = Math.max(1, Number(env.BENCH_ROUNDS ?? 3));

const CHANNEL = "bench";
const PAYLOAD = "x".repeat(SIZE);
const PUBLISH = Buffer.from(`*3\r\n$7\r\nPUBLISH\r\n$5\r\n${CHANNEL}\r\n$${SIZE}\r\n${PAYLOAD}\r\n`);
const MESSAGE_BYTES = Buffer.byteLength(
  `*3\r\n$7\r\nmessage\r\n$5\r\n${CHANNEL}\r\n$${SIZE}\r\n${PAYLOAD}\r\n`,
);
const SUBSCRIBED_BYTES = Buffer.byteLength(`*3\r\n$9\r\nsubscribe\r\n$5\r\n${CHANNEL}\r\n:1\r\n`);

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
    s.setNoDelay(true);
  });
}

/** One fan-out run; returns deliveries per second. */
async function fanout(server: Server): Promise<number> {
  const subs: net.Socket[] = [];
  let delivered = 0;
  const expected = MESSAGES * SUBSCRIBERS;
  let done!: () => void;
  const allDelivered = new Promise<void>((r) => (done = r));
  let subscribed = 0;
  let allSubscribed!: () => void;
  const ready = new Promise<void>((r) => (allSubscribed = r));
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const s = await connect(server.port);
    let bytes = -SUBSCRIBED_BYTES;
    let counted = 0;
    s.on("data", (d: Buffer) => {
      const before = bytes;
      bytes += d.length;
      if (before < 0 && bytes >= 0 && ++subscribed === SUBSCRIBERS) allSubscribed();
      const now = Math.max(0, Math.floor(bytes / MESSAGE_BYTES));
      delivered += now - counted;
      counted = now;
      if (delivered === expected) done();
    });
    s.write(`*2\r\n$9\r\nSUBSCRIBE\r\n$5\r\n${CHANNEL}\r\n`);
    subs.push(s);
  }
  await ready;
  const pub = await connect(server.port);
  const start = performance.now();
  let sent = 0;
  let replies = 0;
  const REPLY = Buffer.byteLength(`:${SUBSCRIBERS}\r\n`);
  let replyBytes = 0;
  const sendMore = () => {
    const batch: Buffer[] = [];
    while (sent < MESSAGES && sent - replies < WINDOW) {
      batch.push(PUBLISH);
      sent++;
    }
    if (batch.length) pub.write(Buffer.concat(batch));
  };
  pub.on("data", (d: Buffer) => {
    replyBytes += d.length;
    replies = Math.floor(replyBytes / REPLY);
    sendMore();
  });
  sendMore();
  await allDelivered;
  const seconds = (performance.now() - start) / 1000;
  pub.destroy();
  for (const s of subs) s.destroy();
  return expected / seconds;
}

/** Runs the fan-out benchmark on both servers and prints the ratio. */
export async function pubsubFanout(): Promise<void> {
  const redis = await startRedis();
  const reddish = await startReddish(false);
  const best = { redis: 0, reddish: 0 };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [redis, reddish] : [reddish, redis];
      for (const server of order) best[server.name] = Math.max(best[server.name], await fanout(server));
    }
  } finally {
    await redis.stop();
    await reddish.stop();
  }
  console.log(
    `\nPub/sub fan-out: 1 publisher (${WINDOW} PUBLISH in flight), ${SUBSCRIBERS} subscribers, ` +
      `${fmtInt(MESSAGES)} messages of ${SIZE} bytes, best of ${ROUNDS} round(s)`,
  );
  console.log(`redis    ${pad(fmtInt(best.redis), 12)} messages delivered/s`);
  console.log(`reddish  ${pad(fmtInt(best.reddish), 12)} messages delivered/s`);
  console.log(`ratio reddish/redis: ${(best.reddish / best.redis).toFixed(2)}`);
}
