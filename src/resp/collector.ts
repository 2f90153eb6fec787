/**
 * A reply writer that builds JavaScript values instead of bytes, for in-process callers (the
 * embedded API, and later scripts). Strings stay latin1 ("binary"); errors become {@link ReplyError}.
 */
import type { ReplyWriter } from "./writer.js";

/** An error reply, as a value. `message` starts with its code (`ERR ...`). */
export class ReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReplyError";
  }
}

/** A RESP3 map reply, as a value. */
export class ReplyMap {
  constructor(readonly entries: [ReplyValue, ReplyValue][]) {}
}

/** A status reply (`+OK`), as a value. */
export class StatusReply {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** The most common status reply, shared (status replies are immutable). */
const OK = new StatusReply("OK");

/** Any reply, as a value. Sets are arrays; doubles are numbers; nulls are null. */
export type ReplyValue =
  string | number | bigint | boolean | null | StatusReply | ReplyError | ReplyMap | ReplyValue[];

interface Frame {
  items: ReplyValue[];
  remaining: number;
  isMap: boolean;
}

/** Collects the replies of one or more commands as values. */
export class ValueCollector implements ReplyWriter {
  resp: 2 | 3 = 3;
  private stack: Frame[] = [];
  private done: ReplyValue[] = [];

  /** Takes the completed top-level replies collected so far. */
  take(): ReplyValue[] {
    const out = this.done;
    this.done = [];
    return out;
  }

  /** Takes the first completed top-level reply (null if none) and drops the others. */
  takeFirst(): ReplyValue {
    const done = this.done;
    if (done.length === 1) return done.pop()!;
    if (done.length === 0) return null;
    this.done = [];
    return done[0]!;
  }

  private add(v: ReplyValue): void {
    let value = v;
    while (true) {
      // Tested by length: reading index -1 of an empty array is a slow property lookup.
      if (this.stack.length === 0) {
        this.done.push(value);
        return;
      }
      const top = this.stack[this.stack.length - 1]!;
      top.items.push(value);
      if (--top.remaining > 0) return;
      this.stack.pop();
      value = top.isMap ? toMap(top.items) : top.items;
    }
  }

  private open(length: number, isMap: boolean): void {
    if (length === 0) {
      this.add(isMap ? new ReplyMap([]) : []);
      return;
    }
    this.stack.push({ items: [], remaining: isMap ? length * 2 : length, isMap });
  }

  simple(text: string): void {
    this.add(text === "OK" ? OK : new StatusReply(text));
  }
  error(message: string): void {
    this.add(new ReplyError(message));
  }
  integer(value: number | bigint): void {
    this.add(
      typeof value === "bigint" && value >= -(2n ** 53n) && value <= 2n ** 53n ? Number(value) : value,
    );
  }
  bulk(value: string): void {
    this.add(value);
  }
  nullBulk(): void {
    this.add(null);
  }
  nullArray(): void {
    this.add(null);
  }
  array(length: number): void {
    this.open(length, false);
  }
  map(length: number): void {
    this.open(length, true);
  }
  set(length: number): void {
    this.open(length, false);
  }
  double(value: number): void {
    this.add(value);
  }
  boolean(value: boolean): void {
    this.add(value);
  }
  verbatim(text: string): void {
    this.add(text);
  }
  bigNumber(digits: string): void {
    this.add(BigInt(digits));
  }
  push(length: number): void {
    this.open(length, false);
  }
}

function toMap(items: ReplyValue[]): ReplyMap {
  const entries: [ReplyValue, ReplyValue][] = [];
  for (let i = 0; i < items.length; i += 2) entries.push([items[i]!, items[i + 1]!]);
  return new ReplyMap(entries);
}
