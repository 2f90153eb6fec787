/**
 * Number formatting exactly as Redis's C code prints numbers (printf `%.17g` and friends), so
 * replies match byte for byte.
 */

/**
 * C's `%.<precision>g` for a double (glibc): `precision` significant digits (0 counts as 1),
 * trailing zeros removed, exponent form (`1e+20`, `1.5e-07`) when the exponent is < -4 or >=
 * precision; `inf`, `-inf`, `nan`, `-0`. Rounding is to nearest on the exact binary value with
 * ties to even, as glibc does (JavaScript's toExponential breaks ties away from zero instead).
 */
export function formatG(value: number, precision = 17): string {
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
  const p = Math.min(100, Math.max(1, Math.trunc(precision)));
  const exp = toExponentialHalfEven(value, p - 1); // "-d.ddddde+X"
  const ePos = exp.indexOf("e");
  const exponent = Number(exp.slice(ePos + 1));
  const negative = exp[0] === "-";
  const digits = exp.slice(negative ? 1 : 0, ePos).replace(".", "");
  let out: string;
  if (exponent < -4 || exponent >= p) {
    let mantissa = digits.length > 1 ? digits[0]! + "." + digits.slice(1) : digits;
    mantissa = stripFractionZeros(mantissa);
    const absExp = Math.abs(exponent);
    out = `${mantissa}e${exponent < 0 ? "-" : "+"}${absExp < 10 ? "0" : ""}${absExp}`;
  } else if (exponent >= 0) {
    out = stripFractionZeros(digits.slice(0, exponent + 1) + "." + digits.slice(exponent + 1));
  } else {
    out = stripFractionZeros("0." + "0".repeat(-exponent - 1) + digits);
  }
  return negative ? "-" + out : out;
}

/**
 * `value.toExponential(fractionDigits)` with exact ties rounded to even. A tie means the exact
 * binary value has precisely fractionDigits + 2 significant decimal digits, the last a 5; then
 * toExponential one digit longer is exact and ends in 5, which is checked first (cheaply), and
 * the exact expansion (BigInt) confirms it.
 */
function toExponentialHalfEven(value: number, fractionDigits: number): string {
  const rounded = value.toExponential(fractionDigits);
  if (fractionDigits >= 100) return rounded;
  const longer = value.toExponential(fractionDigits + 1);
  const ePos = longer.indexOf("e");
  if (longer[ePos - 1] !== "5") return rounded;
  const significant = exactSignificantDigits(Math.abs(value), fractionDigits + 2);
  if (significant === null || significant.length !== fractionDigits + 2) return rounded;
  // An exact tie: keep the truncated digits when the last kept one is even (else round up).
  let truncated = longer.slice(0, ePos - 1);
  if (truncated.endsWith(".")) truncated = truncated.slice(0, -1);
  if ((truncated.charCodeAt(truncated.length - 1) - 48) % 2 === 1) return rounded;
  return truncated + longer.slice(ePos);
}

/**
 * The exact decimal significant digits of a positive finite double (trailing zeros removed), or
 * null when there are more than `limit` of them.
 */
function exactSignificantDigits(value: number, limit: number): string | null {
  // value = n / 2^k with n an integer: doubling is exact until the value is an integer.
  let n = value;
  let k = 0;
  while (!Number.isInteger(n)) {
    n *= 2;
    k++;
    // n / 2^k (n odd) has at least k * log10(5) significant digits.
    if (k * 0.69 > limit + 1) return null;
  }
  const digits = (BigInt(n) * 5n ** BigInt(k)).toString().replace(/0+$/, "");
  return digits.length > limit ? null : digits;
}

function stripFractionZeros(s: string): string {
  if (!s.includes(".")) return s;
  let end = s.length;
  while (s[end - 1] === "0") end--;
  if (s[end - 1] === ".") end--;
  return s.slice(0, end);
}

/** A double as Redis replies it in RESP2 bulk strings and RESP3 doubles (`%.17g`, inf, -inf, nan). */
export function formatDouble(value: number): string {
  return formatG(value, 17);
}
