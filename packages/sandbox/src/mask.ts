// Card data never leaves the request that carried it (preamble: CARDNO, CVN2, ID_NO, EXPDATE never
// appear in logs or state): the sandbox keeps masked forms only.
export function maskCard(cardNo: string): string {
  if (cardNo.length <= 10) return '*'.repeat(cardNo.length);
  return `${cardNo.slice(0, 6)}${'*'.repeat(cardNo.length - 10)}${cardNo.slice(-4)}`;
}

export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

/** Field names whose values are secret or card data. */
export const SECRET_FIELDS = new Set([
  'CARDNO',
  'CVN2',
  'CVV2',
  'ID_NO',
  'EXPDATE',
  'IDCARD',
  'ACCNO',
  'MSG_CODE',
  'key',
]);
