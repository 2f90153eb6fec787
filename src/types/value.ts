/**
 * The values a key can hold. Strings are plain latin1 JS strings or {@link RawString}s; every
 * other data type is a class with a `type` tag naming its Redis type (as TYPE reports it).
 */
import type { RawString } from "./string.js";

/** A non-string value: collections add themselves here as they are implemented. */
export interface CollectionValue {
  /** The Redis type name, as TYPE reports it. */
  readonly type: "list" | "set" | "zset" | "hash" | "stream";
  /** OBJECT ENCODING's answer for this value. */
  encoding(): string;
  /** A deep copy (COPY). */
  clone(): CollectionValue;
}

/** Any value stored under a key. */
export type RedisValue = string | RawString | CollectionValue;

/** The Redis type name of a value, as TYPE reports it. */
export function typeName(value: RedisValue): string {
  return typeof value === "string" ? "string" : value.type;
}
