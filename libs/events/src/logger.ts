/** The logger the relay and the consumer accept: pino-compatible (`logger.warn({ ... }, 'msg')`). */
export interface EventsLogger {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}

/** Turns errors into plain JSON-able objects (JSON.stringify(new Error()) is `{}`). */
export function serializeError(err: unknown): { name?: string; message: string; stack?: string } {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { message: String(err) };
}

function line(level: string, o: object, msg?: string): void {
  const entry: Record<string, unknown> = { time: new Date().toISOString(), level, lib: '@remote-help/events' };
  for (const [k, v] of Object.entries(o)) entry[k] = v instanceof Error ? serializeError(v) : v;
  if (msg !== undefined) entry.msg = msg;
  process.stderr.write(`${JSON.stringify(entry)}\n`);
}

/** Default: warnings and errors as JSON lines on stderr; info is dropped. */
export const defaultEventsLogger: EventsLogger = {
  info: () => undefined,
  warn: (o, msg) => line('warn', o, msg),
  error: (o, msg) => line('error', o, msg),
};
