/**
 * What HSCAN, SSCAN and ZSCAN share: option parsing (MATCH, COUNT) and the reply shape
 * (`[next-cursor, [items...]]`). SCAN itself also takes TYPE and lives in generic.ts.
 */
import type { ReplyWriter } from "../resp/writer.js";
import { eqi, readInt, syntaxError } from "./args.js";

/** Parsed MATCH/COUNT options; `pattern` is null when absent or `*`. */
export interface ScanOptions {
  count: number;
  pattern: string | null;
}

/** Parses `[MATCH pattern] [COUNT count]` pairs from argv[from] on, with Redis's errors. */
export function readScanOptions(argv: readonly string[], from: number): ScanOptions {
  let count = 10;
  let pattern: string | null = null;
  for (let i = from; i < argv.length; i += 2) {
    const hasValue = argv.length - i >= 2;
    if (hasValue && eqi(argv[i]!, "count")) {
      count = readInt(argv[i + 1]!);
      if (count < 1) syntaxError();
    } else if (hasValue && eqi(argv[i]!, "match")) {
      pattern = argv[i + 1]!;
    } else {
      syntaxError();
    }
  }
  return { count, pattern: pattern === "*" ? null : pattern };
}

/** Writes a scan reply: the next cursor and the items found (flattened pairs for hashes/zsets). */
export function replyScan(reply: ReplyWriter, nextCursor: number | bigint, items: readonly string[]): void {
  reply.array(2);
  reply.bulk(String(nextCursor));
  reply.array(items.length);
  for (const item of items) reply.bulk(item);
}
