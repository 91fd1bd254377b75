import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { KAFKA } from './tokens';

/** Whether the broker answers, asked at most once a second. */
@Injectable()
export class KafkaHealth implements OnModuleDestroy {
  private admin?: Admin;
  private last = { at: 0, ok: false };

  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}

  async check(): Promise<boolean> {
    if (Date.now() - this.last.at < 1000) return this.last.ok;
    let ok = false;
    try {
      this.admin ??= this.kafka.admin();
      await withTimeout(
        this.admin.connect().then(() => this.admin!.describeCluster()),
        2000,
      );
      ok = true;
    } catch {
      await this.admin?.disconnect().catch(() => undefined);
      this.admin = undefined;
    }
    this.last = { at: Date.now(), ok };
    return ok;
  }

  async onModuleDestroy() {
    await this.admin?.disconnect().catch(() => undefined);
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}
