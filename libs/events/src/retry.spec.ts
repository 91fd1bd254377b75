import type { EventsLogger } from './logger';
import { retryForever } from './retry';

function memoryLogger() {
  const lines: { o: Record<string, unknown>; msg?: string }[] = [];
  const logger: EventsLogger = { info: () => undefined, warn: (o, msg) => void lines.push({ o: o as Record<string, unknown>, msg }), error: () => undefined };
  return { logger, lines };
}

describe('retryForever', () => {
  it('tries again after each failure until the call succeeds, logging every failed attempt', async () => {
    const { logger, lines } = memoryLogger();
    let calls = 0;
    const result = await retryForever(
      async () => {
        calls += 1;
        if (calls < 4) throw new Error(`refused ${calls}`);
        return 'joined';
      },
      { what: 'start consumer x', stopped: () => false, log: logger, fields: { consumer: 'x' }, initialDelayMs: 1, maxDelayMs: 2 },
    );
    expect(result).toBe('joined');
    expect(calls).toBe(4);
    expect(lines.map((l) => [l.msg, l.o.attempt, l.o.err, l.o.consumer])).toEqual([
      ['start consumer x failed; retrying with back-off', 1, 'refused 1', 'x'],
      ['start consumer x failed; retrying with back-off', 2, 'refused 2', 'x'],
      ['start consumer x failed; retrying with back-off', 3, 'refused 3', 'x'],
    ]);
  });

  it('gives up with the last error once it is stopped', async () => {
    const { logger } = memoryLogger();
    let calls = 0;
    let stopped = false;
    const p = retryForever(
      async () => {
        calls += 1;
        if (calls === 3) stopped = true;
        throw new Error(`refused ${calls}`);
      },
      { what: 'x', stopped: () => stopped, log: logger, initialDelayMs: 1, maxDelayMs: 2 },
    );
    await expect(p).rejects.toThrow('refused 3');
    expect(calls).toBe(3);
  });
});
