/**
 * Number formatting exactly as Redis's C code prints numbers (printf `%.17g` and friends), so
 * replies match byte for byte.
 */

/**
 * C's `%.<precision>g` for a finite double: `precision` significant digits, trailing zeros removed,
 * exponent form (`1e+20`, `1.5e-07`) when the exponent is < -4 or >= precision.
 */
export function formatG(value: number, precision = 17): string {
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
  const exp = value.toExponential(precision - 1); // "-d.ddddde+X"
  const ePos = exp.indexOf("e");
  const exponent = Number(exp.slice(ePos + 1));
  const negative = exp[0] === "-";
  const digits = exp.slice(negative ? 1 : 0, ePos).replace(".", "");
  let out: string;
  if (exponent < -4 || exponent >= precision) {
    let mantissa = digits[0]! + "." + digits.slice(1);
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
