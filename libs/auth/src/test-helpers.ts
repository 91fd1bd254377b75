// Helpers for the unit tests of this library (not exported from index.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthError } from './auth-error';

export async function tempDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'rh-auth-test-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Awaits `promise`, expecting it to reject with an AuthError carrying exactly `message`. */
export async function expectAuthError(promise: Promise<unknown>, message: string): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AuthError);
  expect((caught as AuthError).message).toBe(message);
}

export function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
