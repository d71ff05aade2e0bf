import { notFiniteError } from './path.js';

/**
 * A PHP float the way PHP 8's `json_encode` prints it (`serialize_precision = -1`, PROTOCOL §3):
 * the shortest round-trip digits (the same digits as JS), laid out by `php_gcvt` with 17 as the
 * precision: plain notation while the decimal point position is in −3..17, otherwise
 * `d.ddde±x` with at least one fraction digit (`1.0e+17`, `1.0e-5`). No `.0` on integral values
 * (`100.0` → `100`), `-0.0` → `-0`.
 */
export function formatPhpFloat(x: number, path = '$'): string {
  if (!Number.isFinite(x)) throw notFiniteError(path, x);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // The shortest round-trip digits and the exponent: "1.2345e+20" → "12345", "+20".
  const [mantissa, e] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const decpt = Number(e) + 1; // value = 0.DIGITS × 10^decpt
  const out =
    decpt < -3 || decpt > 17
      ? `${digits[0]}.${digits.slice(1) || '0'}e${e}`
      : decpt <= 0
        ? `0.${'0'.repeat(-decpt)}${digits}`
        : digits.length <= decpt
          ? digits.padEnd(decpt, '0')
          : `${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  return x < 0 ? `-${out}` : out;
}

/**
 * A float spelled so that PHP's `json_decode` reads it back as a float (never as an integer):
 * PHP's own spelling, plus `.0` when that spelling has neither `.` nor an exponent. Used for the
 * wire text we send (toWireJson), never for the signed bytes.
 */
export function wirePhpFloat(x: number, path = '$'): string {
  const s = formatPhpFloat(x, path);
  return /[.e]/.test(s) ? s : `${s}.0`;
}
