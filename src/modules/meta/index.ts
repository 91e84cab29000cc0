/** The meta module's public surface: the resolver that reports the caller's rate-limit budget. */
export { RateLimitResolver } from "./rate-limit.resolver";
