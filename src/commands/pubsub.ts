/** Pub/sub commands: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH and PUBSUB introspection. */
import { Err, PubSubErr, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { globMatch } from "../util/glob.js";
import { replyHelp } from "./command.js";
import type { CommandDefinition } from "./spec.js";

/**
 * Redis refuses subscriptions from clients that expect exactly one reply per command
 * (CLIENT_DENY_BLOCKING: scripts, and for SSUBSCRIBE also MULTI); SUBSCRIBE and PSUBSCRIBE stay
 * allowed inside MULTI for backward compatibility.
 */
function denyBlocking(c: Client, name: string, allowInMulti: boolean): void {
  if (c.inExec && !allowInMulti) throw new RedisError(PubSubErr.denyBlocking(name));
}

/** SUBSCRIBE channel [channel ...] */
function subscribeCommand(c: Client): void {
  denyBlocking(c, "SUBSCRIBE", true);
  const pubsub = c.server.pubsub;
  for (let j = 1; j < c.argv.length; j++) pubsub.subscribe(c, c.argv[j]!);
}

/** UNSUBSCRIBE [channel [channel ...]] */
function unsubscribeCommand(c: Client): void {
  const pubsub = c.server.pubsub;
  if (c.argv.length === 1) pubsub.unsubscribeAll(c, true);
  else for (let j = 1; j < c.argv.length; j++) pubsub.unsubscribe(c, c.argv[j]!, true);
}

/** PSUBSCRIBE pattern [pattern ...] */
function psubscribeCommand(c: Client): void {
  denyBlocking(c, "PSUBSCRIBE", true);
  const pubsub = c.server.pubsub;
  for (let j = 1; j < c.argv.length; j++) pubsub.psubscribe(c, c.argv[j]!);
}

/** PUNSUBSCRIBE [pattern [pattern ...]] */
function punsubscribeCommand(c: Client): void {
  const pubsub = c.server.pubsub;
  if (c.argv.length === 1) pubsub.punsubscribeAll(c, true);
  else for (let j = 1; j < c.argv.length; j++) pubsub.punsubscribe(c, c.argv[j]!, true);
}

/** SSUBSCRIBE shardchannel [shardchannel ...] */
function ssubscribeCommand(c: Client): void {
  denyBlocking(c, "SSUBSCRIBE", false);
  const pubsub = c.server.pubsub;
  for (let j = 1; j < c.argv.length; j++) pubsub.subscribe(c, c.argv[j]!, "shard");
}

/** SUNSUBSCRIBE [shardchannel [shardchannel ...]] */
function sunsubscribeCommand(c: Client): void {
  const pubsub = c.server.pubsub;
  if (c.argv.length === 1) pubsub.unsubscribeAll(c, true, "shard");
  else for (let j = 1; j < c.argv.length; j++) pubsub.unsubscribe(c, c.argv[j]!, true, "shard");
}

/** PUBLISH channel message */
function publishCommand(c: Client): void {
  c.reply.integer(c.server.pubsub.publish(c.argv[1]!, c.argv[2]!));
}

/** SPUBLISH shardchannel message */
function spublishCommand(c: Client): void {
  c.reply.integer(c.server.pubsub.publish(c.argv[1]!, c.argv[2]!, "shard"));
}

/** Channels with subscribers, optionally only those matching a pattern. */
function channelList(c: Client, table: Map<string, Set<Client>>): void {
  if (c.argv.length > 3) throw new RedisError(Err.subcommandSyntax(c.argv[1]!, c.argv[0]!));
  const pattern = c.argv[2];
  const names: string[] = [];
  for (const name of table.keys()) if (pattern === undefined || globMatch(pattern, name)) names.push(name);
  c.reply.array(names.length);
  for (const name of names) c.reply.bulk(name);
}

/** Channel, subscriber-count pairs for the channels named. */
function numsub(c: Client, table: Map<string, Set<Client>>): void {
  const argv = c.argv;
  c.reply.array((argv.length - 2) * 2);
  for (let j = 2; j < argv.length; j++) {
    c.reply.bulk(argv[j]!);
    c.reply.integer(table.get(argv[j]!)?.size ?? 0);
  }
}

/** PUBSUB CHANNELS [pattern] */
function pubsubChannelsCommand(c: Client): void {
  channelList(c, c.server.pubsub.channels);
}

/** PUBSUB SHARDCHANNELS [pattern] */
function pubsubShardchannelsCommand(c: Client): void {
  channelList(c, c.server.pubsub.shardChannels);
}

/** PUBSUB NUMSUB [channel [channel ...]] */
function pubsubNumsubCommand(c: Client): void {
  numsub(c, c.server.pubsub.channels);
}

/** PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]] */
function pubsubShardnumsubCommand(c: Client): void {
  numsub(c, c.server.pubsub.shardChannels);
}

/** PUBSUB NUMPAT */
function pubsubNumpatCommand(c: Client): void {
  c.reply.integer(c.server.pubsub.patternCount);
}

const HELP_LINES = [
  "CHANNELS [<pattern>]",
  "    Return the currently active channels matching a <pattern> (default: '*').",
  "NUMPAT",
  "    Return number of subscriptions to patterns.",
  "NUMSUB [<channel> ...]",
  "    Return the number of subscribers for the specified channels, excluding",
  "    pattern subscriptions(default: no channels).",
  "SHARDCHANNELS [<pattern>]",
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  "SHARDNUMSUB [<shardchannel> ...]",
  "    Return the number of subscribers for the specified shard level channel(s)",
];

/** PUBSUB HELP */
function pubsubHelpCommand(c: Client): void {
  replyHelp(c, HELP_LINES);
}

export const pubsubCommands: CommandDefinition[] = [
  { name: "subscribe", handler: subscribeCommand },
  { name: "unsubscribe", handler: unsubscribeCommand },
  { name: "psubscribe", handler: psubscribeCommand },
  { name: "punsubscribe", handler: punsubscribeCommand },
  { name: "ssubscribe", handler: ssubscribeCommand },
  { name: "sunsubscribe", handler: sunsubscribeCommand },
  { name: "publish", handler: publishCommand },
  { name: "spublish", handler: spublishCommand },
  { name: "pubsub|channels", handler: pubsubChannelsCommand },
  { name: "pubsub|shardchannels", handler: pubsubShardchannelsCommand },
  { name: "pubsub|numsub", handler: pubsubNumsubCommand },
  { name: "pubsub|shardnumsub", handler: pubsubShardnumsubCommand },
  { name: "pubsub|numpat", handler: pubsubNumpatCommand },
  { name: "pubsub|help", handler: pubsubHelpCommand },
];
