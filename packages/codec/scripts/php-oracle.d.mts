export const ORACLE: string;
export function wtf8(s: string): Uint8Array;
export interface OracleVariants<T> {
  default: T;
  unescapedSlashes: T;
  escapedUnicode: T;
}
export interface OracleResult {
  id: number;
  error?: string;
  reencode?: string | null;
  reencodeError?: string;
  signing?: OracleVariants<string | null>;
  sign?: OracleVariants<string | null>;
  signError?: string;
}
export function runPhpOracle(
  cases: { id: number; body: string; key: string; depth?: number }[],
  options?: { php?: string },
): Map<number, OracleResult>;
