import type net from "node:net";
import { RateLimiterMemory } from "rate-limiter-flexible";

/**
 * Per-address budget of failed requests (unknown or revoked API keys, malformed bodies, documents
 * that do not parse or validate or are over the query limits): past `points` failures in a minute,
 * the address is refused (429) for a minute before anything else is done, so guessing keys or
 * flooding garbage or over-limit documents costs no database lookup. Counted in this process.
 */
export class FailureThrottle {
  private readonly limiter: RateLimiterMemory;

  constructor(
    private readonly points: number,
    windowSeconds = 60,
  ) {
    this.limiter = new RateLimiterMemory({ points, duration: windowSeconds, blockDuration: windowSeconds, keyPrefix: "failures" });
  }

  /** Seconds the address must still wait, or 0 when it may go on. */
  async blockedFor(address: string): Promise<number> {
    const res = await this.limiter.get(address);
    return res && res.consumedPoints > this.points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;
  }

  /** Counts one failed request against the address. */
  async fail(address: string): Promise<void> {
    await this.limiter.consume(address).catch(() => undefined);
  }
}

/**
 * Counts open connections per client address and marks those over `max` (the request handler
 * answers them 429 and closes them). Behind a trusted proxy every connection comes from the proxy,
 * so nothing is capped here (cap at the proxy).
 */
export function capConnectionsPerAddress(server: net.Server, max: number, trustProxy: boolean): (socket: net.Socket) => boolean {
  const open = new Map<string, number>();
  const over = new WeakSet<net.Socket>();
  if (!trustProxy) {
    server.on("connection", (socket: net.Socket) => {
      const address = socket.remoteAddress ?? "unknown";
      const count = (open.get(address) ?? 0) + 1;
      open.set(address, count);
      if (count > max) over.add(socket);
      socket.once("close", () => {
        const left = (open.get(address) ?? 1) - 1;
        if (left <= 0) open.delete(address);
        else open.set(address, left);
      });
    });
  }
  return (socket) => over.has(socket);
}
