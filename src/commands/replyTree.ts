/**
 * Replays a reply tree captured from Redis (the COMMAND INFO / COMMAND DOCS entries in the
 * generated metadata) through a ReplyWriter, so the same tree renders in RESP2 or RESP3 exactly as
 * Redis renders it: maps become flat arrays and sets plain arrays in RESP2, and so on.
 *
 * Encoding (see scripts/gen-specs.mjs): integer -> number; simple string -> "+text"; bulk string
 * -> "$text"; array -> ["*", ...]; map -> ["%", k1, v1, ...]; set -> ["~", ...]; push -> [">", ...];
 * null -> null; boolean -> true/false; double -> [",", "text"]; big number -> ["(", "text"];
 * verbatim string -> ["=", "fmt", "text"]; error -> ["-", "text"] or ["!", "text"].
 */
import type { ReplyWriter } from "../resp/writer.js";
import type { ReplyTree } from "./spec.js";

/** Text from the JSON metadata (UTF-8) as the latin1 byte string the writer expects. */
function bytes(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text) ? text : Buffer.from(text, "utf8").toString("latin1");
}

/** Writes `tree` through `reply`. */
export function emitReplyTree(reply: ReplyWriter, tree: ReplyTree): void {
  if (tree === null) return reply.nullBulk();
  if (typeof tree === "number") return reply.integer(tree);
  if (typeof tree === "boolean") return reply.boolean(tree);
  if (typeof tree === "string") {
    if (tree[0] === "+") return reply.simple(bytes(tree.slice(1)));
    if (tree[0] === "$") return reply.bulk(bytes(tree.slice(1)));
    throw new Error(`bad reply tree string ${JSON.stringify(tree)}`);
  }
  const [type, ...items] = tree;
  switch (type) {
    case "*":
      reply.array(items.length);
      break;
    case "~":
      reply.set(items.length);
      break;
    case ">":
      reply.push(items.length);
      break;
    case "%":
      reply.map(items.length / 2);
      break;
    case ",":
      return reply.double(Number(items[0]));
    case "(":
      return reply.bigNumber(String(items[0]));
    case "=":
      return reply.verbatim(bytes(String(items[1])), String(items[0]));
    case "-":
    case "!":
      return reply.error(bytes(String(items[0])));
    default:
      throw new Error(`bad reply tree node ${JSON.stringify(type)}`);
  }
  for (const item of items) emitReplyTree(reply, item);
}
