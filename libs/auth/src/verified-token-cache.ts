/**
 * Results of tokens already verified, by the exact token string, until the token expires: the
 * same bearer token comes with every request of a client (and the same internal token with
 * every call of the gateway for a caller), and its signature does not change. Only successes
 * are kept; an entry is never used past the token's own `exp`. Bounded: the oldest go first.
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAtMs: number }>();

  constructor(private readonly max = 10_000) {}

  get(token: string, nowMs = Date.now()): T | undefined {
    const e = this.entries.get(token);
    if (!e) return undefined;
    if (e.expiresAtMs <= nowMs) {
      this.entries.delete(token);
      return undefined;
    }
    return e.value;
  }

  set(token: string, value: T, expiresAtMs: number): void {
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { value, expiresAtMs });
  }
}
