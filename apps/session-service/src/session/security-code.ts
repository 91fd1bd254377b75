import { createHash, randomInt } from 'node:crypto';

/**
 * Security codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), drawn
 * from the cryptographic random source (`crypto.randomInt`, unbiased): 31^8 ≈ 8.5 * 10^11
 * codes. Only a SHA-256 hash is stored; the code itself is returned once, to the helper.
 */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 8;

export function newSecurityCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/**
 * The code as typed by a person, in canonical form: spaces and dashes dropped, upper case. Null
 * when it cannot be a code at all (wrong length or a character outside the alphabet).
 */
export function normalizeSecurityCode(input: string): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== CODE_LENGTH) return null;
  for (const c of code) if (!CODE_ALPHABET.includes(c)) return null;
  return code;
}

export function hashSecurityCode(code: string): string {
  return createHash('sha256').update(`remote-help-security-code:${code}`).digest('hex');
}
