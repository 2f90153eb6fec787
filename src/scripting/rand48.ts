/**
 * Redis's own PRNG for scripts (rand.c: the 48-bit linear congruential generator of the SVID
 * `lrand48`): `math.random` in scripts draws from it. Redis 7.0 never reseeds it on its own: one
 * stream, from the process's start, shared by EVAL scripts and functions (SCRIPT FLUSH keeps it);
 * `math.randomseed(n)` reseeds it.
 */

const A = 0x5deece66dn;
const C = 0xbn;
const MASK48 = (1n << 48n) - 1n;

/** The generator state (one per server, like Redis's static `x[3]`). */
export class Rand48 {
  /** The initial state of rand.c (x = 0x1234ABCD330E). */
  private x = 0x1234abcd330en;

  /** redisSrand48: the state becomes `seed` (32 bits) above the constant 0x330E. */
  seed(seed: number): void {
    this.x = ((BigInt(seed | 0) & 0xffffffffn) << 16n) | 0x330en;
  }

  /** redisLrand48: the next 31-bit value. */
  next(): number {
    this.x = (A * this.x + C) & MASK48;
    return Number(this.x >> 17n);
  }

  /**
   * Redis's `math.random` base value: `(lrand48() % INT32_MAX) / INT32_MAX`, in [0, 1).
   */
  nextDouble(): number {
    return (this.next() % 2147483647) / 2147483647;
  }
}
