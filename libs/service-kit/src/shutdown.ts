import type * as http from 'node:http';
import type { VarSpec } from './config';
import { parsers } from './config';

/**
 * The shutdown variables, read by every process (the four services and the gateway). The grace
 * period matches the chart's `terminationGracePeriodSeconds`.
 */
export function shutdownConfigSpec() {
  return {
    SHUTDOWN_GRACE_SECONDS: {
      description:
        'on SIGTERM: most seconds until the process has exited (readiness false, in-flight requests finished, consumers committed and out of their groups), after which it exits anyway; the Kubernetes grace period (`terminationGracePeriodSeconds`)',
      default: '30',
      parse: parsers.int(1, 3600),
    },
    SHUTDOWN_DRAIN_SECONDS: {
      description:
        'on SIGTERM: seconds the process still serves, not ready and closing each connection after its answer, before it stops accepting connections (time for load balancers to take it out); less than SHUTDOWN_GRACE_SECONDS',
      default: '0',
      parse: parsers.int(0, 3600),
    },
  } satisfies Record<string, VarSpec<unknown>>;
}

/** The shutdown variables as read (shutdownConfigSpec). */
export interface ShutdownConfig {
  SHUTDOWN_GRACE_SECONDS: number;
  SHUTDOWN_DRAIN_SECONDS: number;
}

/** The `VARIABLE: problem` line when the drain does not leave time to stop within the grace period. */
export function shutdownCheck(config: ShutdownConfig): string | undefined {
  if (config.SHUTDOWN_DRAIN_SECONDS >= config.SHUTDOWN_GRACE_SECONDS) {
    return `SHUTDOWN_DRAIN_SECONDS: must be less than SHUTDOWN_GRACE_SECONDS (${config.SHUTDOWN_GRACE_SECONDS}), got ${config.SHUTDOWN_DRAIN_SECONDS}`;
  }
  return undefined;
}

export interface ShutdownLog {
  info(msg: string): void;
  error(msg: string): void;
}

export interface GracefulShutdownOptions {
  graceSeconds: number;
  drainSeconds: number;
  log: ShutdownLog;
  /** Ends the process (default `process.exit`); tests pass their own. */
  exit?: (code: number) => void;
}

/**
 * Graceful shutdown on SIGTERM (and SIGINT), the same in the gateway and every service:
 *
 * 1. `draining` turns true at once: readiness answers 503, and every answer of the watched HTTP
 *    servers closes its connection (`Connection: close`), so that keep-alive clients open their
 *    next connection elsewhere;
 * 2. the process keeps serving for the drain period (load balancers take it out meanwhile);
 * 3. `stop` runs: the process's own orderly stop (the servers stop accepting connections and
 *    wait for the requests in flight, WebSocket clients are closed with a code that makes
 *    graphql-ws reconnect, consumers commit and leave their groups, the outbox relay stops);
 * 4. the process exits 0, or 1 when `stop` failed; if all that has not ended within the grace
 *    period (counted from the signal), it exits 1 there and then.
 */
export class GracefulShutdown {
  private started?: Promise<void>;
  private signalled = false;
  private readonly exit: (code: number) => void;

  constructor(private readonly o: GracefulShutdownOptions) {
    this.exit = o.exit ?? ((code) => process.exit(code));
  }

  /** A process's GracefulShutdown from its shutdown variables (shutdownConfigSpec): how the gateway and every service build theirs. */
  static fromConfig(config: ShutdownConfig, log: ShutdownLog, opts: Pick<GracefulShutdownOptions, 'exit'> = {}): GracefulShutdown {
    return new GracefulShutdown({ graceSeconds: config.SHUTDOWN_GRACE_SECONDS, drainSeconds: config.SHUTDOWN_DRAIN_SECONDS, log, ...opts });
  }

  /** True from the signal on: readiness answers 503. */
  get draining(): boolean {
    return this.signalled;
  }

  /** Answers being written now (of the watched servers). */
  private readonly inFlight = new Set<http.ServerResponse>();
  private onIdle?: () => void;

  /** Every answer of `server` closes its connection once draining; its requests in flight are counted. */
  watch(server: http.Server): void {
    server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
      if (this.draining) res.setHeader('connection', 'close');
      this.inFlight.add(res);
      res.once('close', () => {
        this.inFlight.delete(res);
        if (this.onIdle && this.requestsInFlight() === 0) this.onIdle();
      });
    });
  }

  /** Requests in flight, not counting event streams (answers whose `Content-Type`, set with `setHeader`, is `text/event-stream`: they last until ended). */
  requestsInFlight(): number {
    let n = 0;
    for (const res of this.inFlight) if (!String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) n++;
    return n;
  }

  /** Resolves once no request is in flight (see requestsInFlight). */
  requestsFinished(): Promise<void> {
    if (this.requestsInFlight() === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.onIdle = () => {
        this.onIdle = undefined;
        resolve();
      };
    });
  }

  /** Runs the shutdown once on the first of `signals`; a second signal changes nothing. */
  onSignals(stop: () => Promise<void>, signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): void {
    for (const s of signals) process.on(s, () => void this.run(stop, s));
  }

  /** The shutdown (see the class); resolves once `exit` has been called. Later calls share the first. */
  run(stop: () => Promise<void>, reason = 'SIGTERM'): Promise<void> {
    if (!this.signalled) {
      this.signalled = true;
      // The answers being prepared now close their connections too.
      for (const res of this.inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    }
    this.started ??= this.shutdown(stop, reason);
    return this.started;
  }

  private shutdown(stop: () => Promise<void>, reason: string): Promise<void> {
    const { graceSeconds, drainSeconds, log } = this.o;
    return new Promise<void>((resolve) => {
      let exited = false;
      const exitOnce = (code: number) => {
        if (exited) return;
        exited = true;
        clearTimeout(deadline);
        this.exit(code);
        resolve();
      };
      const deadline = setTimeout(() => {
        log.error(`${reason}: not stopped within SHUTDOWN_GRACE_SECONDS (${graceSeconds} s): exiting now`);
        exitOnce(1);
      }, graceSeconds * 1000);
      log.info(`${reason}: not ready any more; ${drainSeconds ? `serving ${drainSeconds} s more, then ` : ''}stopping (at most ${graceSeconds} s)`);
      void (async () => {
        if (drainSeconds > 0) await new Promise((r) => setTimeout(r, drainSeconds * 1000));
        if (exited) return;
        try {
          await stop();
          log.info(`${reason}: stopped`);
          exitOnce(0);
        } catch (e) {
          log.error(`${reason}: stop failed: ${(e as Error)?.stack ?? String(e)}`);
          exitOnce(1);
        }
      })();
    });
  }
}
