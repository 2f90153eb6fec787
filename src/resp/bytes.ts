/**
 * Fast latin1 ("binary string") conversions. Node's Buffer has undocumented but long-stable
 * `latin1Slice`/`latin1Write` methods that skip `toString`/`write`'s argument handling; they
 * are used when present, with the documented calls as fallback.
 */
interface Latin1Buffer {
  latin1Slice?(start: number, end: number): string;
  latin1Write?(text: string, offset: number, length: number): number;
}

const probe = Buffer.alloc(1) as unknown as Latin1Buffer;
const hasFastSlice = typeof probe.latin1Slice === "function";
const hasFastWrite = typeof probe.latin1Write === "function";

/** The bytes buf[start, end) as a latin1 string. */
export function latin1Slice(buf: Buffer, start: number, end: number): string {
  return hasFastSlice
    ? (buf as unknown as Required<Latin1Buffer>).latin1Slice(start, end)
    : buf.toString("latin1", start, end);
}

/** Writes a latin1 string into buf at offset; returns the bytes written. */
export function latin1Write(buf: Buffer, text: string, offset: number): number {
  return hasFastWrite
    ? (buf as unknown as Required<Latin1Buffer>).latin1Write(text, offset, text.length)
    : buf.write(text, offset, text.length, "latin1");
}
