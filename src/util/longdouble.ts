/**
 * Exact emulation of the x87 80-bit `long double` that Redis 7.0 uses for HINCRBYFLOAT (and
 * INCRBYFLOAT) on x86-64: 64-bit significand with an explicit integer bit, exponents down to the
 * subnormal 2^-16445, round-to-nearest-even. Parsing follows glibc's strtold as Redis's string2ld
 * wraps it, and formatting follows `ld2string(..., LD_STR_HUMAN)`: `%.17Lf`, then trailing zeros
 * (and a bare dot) removed, and `-0` printed as `0`.
 *
 * Values are kept exactly as (sign, significand, binary exponent) with bigint arithmetic, so every
 * rounding step matches the hardware's.
 */

/** A finite long double: (-1)^neg × mant × 2^exp, or an infinity. */
export interface LongDouble {
  neg: boolean;
  /** Significand, below 2^64; 0n for zero. */
  mant: bigint;
  exp: number;
  /** True for ±infinity (mant and exp unused). */
  inf: boolean;
}

const MANT_BITS = 64;
/** Exponent of the least significant bit of the smallest subnormal: 2^-16445. */
const EXP_MIN = -16445;
/** Largest exponent a 64-bit significand may have: values stay below 2^16384. */
const EXP_MAX = 16384 - MANT_BITS;
const TWO64 = 1n << 64n;
/** Longest accepted input, like string2ld's MAX_LONG_DOUBLE_CHARS buffer. */
const MAX_CHARS = 5 * 1024;

const ZERO: LongDouble = { neg: false, mant: 0n, exp: 0, inf: false };

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds the exact positive rational num/den to the nearest long double (ties to even), with the
 * given sign. Returns an infinity on overflow and zero (or a subnormal) on underflow.
 */
function roundRational(neg: boolean, num: bigint, den: bigint): LongDouble {
  if (num === 0n) return { neg, mant: 0n, exp: 0, inf: false };
  // Choose exp so that num / den / 2^exp lies in [2^63, 2^64).
  let exp = bitLength(num) - bitLength(den) - MANT_BITS;
  let q: bigint;
  let r: bigint;
  let d: bigint;
  for (;;) {
    if (exp < EXP_MIN) exp = EXP_MIN;
    let n = num;
    d = den;
    if (exp >= 0) d = den << BigInt(exp);
    else n = num << BigInt(-exp);
    q = n / d;
    r = n - q * d;
    if (q >= TWO64) {
      exp++;
      continue;
    }
    if (q < TWO64 >> 1n && exp > EXP_MIN) {
      exp--;
      continue;
    }
    break;
  }
  const twice = r * 2n;
  if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
  if (q === TWO64) {
    q >>= 1n;
    exp++;
  }
  if (exp > EXP_MAX) return { neg, mant: 0n, exp: 0, inf: true };
  return { neg, mant: q, exp, inf: false };
}

/** The exact value as num / den (den a power of two), ignoring the sign. */
function toRational(v: LongDouble): { num: bigint; den: bigint } {
  if (v.exp >= 0) return { num: v.mant << BigInt(v.exp), den: 1n };
  return { num: v.mant, den: 1n << BigInt(-v.exp) };
}

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;

/**
 * Parses a long double like Redis's string2ld: the whole string must be a number for strtold
 * (decimal, hexadecimal or inf/infinity; no leading space, no NaN) and must not overflow or
 * underflow to zero. Returns undefined when Redis would refuse it.
 */
export function parseLongDouble(s: string): LongDouble | undefined {
  if (s.length === 0 || s.length >= MAX_CHARS) return undefined;
  let m = INF_RE.exec(s);
  if (m) return { neg: m[1] === "-", mant: 0n, exp: 0, inf: true };
  m = HEX_RE.exec(s);
  if (m) {
    const intDigits = m[2]!;
    const fracDigits = m[3] ?? "";
    // "0x" alone parses as "0" with "x..." left over: not a whole number.
    if (intDigits.length + fracDigits.length === 0) return undefined;
    const neg = m[1] === "-";
    const mant = BigInt("0x0" + intDigits + fracDigits);
    const exp2 = Number(m[4] ?? "0") - 4 * fracDigits.length;
    return fromScaled(neg, mant, 2n, exp2);
  }
  m = DECIMAL_RE.exec(s);
  if (!m) return undefined;
  const intDigits = m[2]!;
  const fracDigits = m[3] ?? "";
  if (intDigits.length + fracDigits.length === 0) return undefined;
  const neg = m[1] === "-";
  const digits = (intDigits + fracDigits).replace(/^0+/, "");
  if (digits.length === 0) return { neg, mant: 0n, exp: 0, inf: false };
  // An exponent like 1e999999999999 must not build a giant power: decide by magnitude first.
  const exp10 = Number(m[4] ?? "0") - fracDigits.length;
  const magnitude = digits.length + exp10; // the value lies in [10^(magnitude-1), 10^magnitude)
  if (magnitude > 4933) return undefined; // beyond LDBL_MAX (~1.19e4932): ERANGE, HUGE_VAL
  if (magnitude < -4952) return undefined; // below half the smallest subnormal (~3.6e-4951): 0
  return fromScaled(neg, BigInt(digits), 10n, exp10);
}

/** Rounds mant × base^exp; undefined if strtold would report a range error Redis refuses. */
function fromScaled(neg: boolean, mant: bigint, base: bigint, exp: number): LongDouble | undefined {
  if (mant === 0n) return { neg, mant: 0n, exp: 0, inf: false };
  let v: LongDouble;
  if (base === 2n) {
    // Guard absurd binary exponents before shifting.
    const top = bitLength(mant) + exp;
    if (top > EXP_MAX + MANT_BITS + 1) return undefined;
    if (top < EXP_MIN - 2) return undefined;
    v = exp >= 0 ? roundRational(neg, mant << BigInt(exp), 1n) : roundRational(neg, mant, 1n << BigInt(-exp));
  } else {
    const p = base ** BigInt(Math.abs(exp));
    v = exp >= 0 ? roundRational(neg, mant * p, 1n) : roundRational(neg, mant, p);
  }
  if (v.inf) return undefined; // ERANGE with HUGE_VAL
  if (v.mant === 0n) return undefined; // ERANGE with 0
  return v;
}

/** a + b, rounded like the x87 FPU (an infinity on overflow; NaN is reported as undefined). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | undefined {
  if (a.inf || b.inf) {
    if (a.inf && b.inf && a.neg !== b.neg) return undefined;
    return a.inf ? a : b;
  }
  if (a.mant === 0n && b.mant === 0n) return { ...ZERO, neg: a.neg && b.neg };
  if (a.mant === 0n) return b;
  if (b.mant === 0n) return a;
  const e = Math.min(a.exp, b.exp);
  const am = a.mant << BigInt(a.exp - e);
  const bm = b.mant << BigInt(b.exp - e);
  const sum = (a.neg ? -am : am) + (b.neg ? -bm : bm);
  if (sum === 0n) return { ...ZERO };
  const neg = sum < 0n;
  const mag = neg ? -sum : sum;
  return e >= 0 ? roundRational(neg, mag << BigInt(e), 1n) : roundRational(neg, mag, 1n << BigInt(-e));
}

/** A long double holding an exact 64-bit integer (the (long double) cast of a long long). */
export function longDoubleFromBigInt(n: bigint): LongDouble {
  if (n === 0n) return { ...ZERO };
  return roundRational(n < 0n, n < 0n ? -n : n, 1n);
}

const TEN17 = 10n ** 17n;

/**
 * Formats like Redis's ld2string in LD_STR_HUMAN mode: `%.17Lf` (exact, ties to even), trailing
 * zeros and a trailing dot removed, `-0` turned into `0`. Infinities print as `inf`/`-inf`.
 */
export function formatLongDoubleHuman(v: LongDouble): string {
  if (v.inf) return v.neg ? "-inf" : "inf";
  const { num, den } = toRational(v);
  const scaled = num * TEN17;
  let q = scaled / den;
  const r = scaled - q * den;
  const twice = r * 2n;
  if (twice > den || (twice === den && (q & 1n) === 1n)) q++;
  const intPart = (q / TEN17).toString();
  const frac = (q % TEN17).toString().padStart(17, "0").replace(/0+$/, "");
  const out = (v.neg ? "-" : "") + intPart + (frac.length > 0 ? "." + frac : "");
  return out === "-0" ? "0" : out;
}
