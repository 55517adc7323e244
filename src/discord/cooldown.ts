import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Per-user question budget: `points` questions per `seconds`. */
export interface Cooldown {
  /** Takes one question from the user's budget; returns seconds to wait when it is spent, else 0. */
  take(userId: string): Promise<number>;
}

export function createCooldown(points: number, seconds: number): Cooldown {
  const limiter = new RateLimiterMemory({ points, duration: seconds });
  return {
    async take(userId) {
      try {
        await limiter.consume(userId);
        return 0;
      } catch (error) {
        if (error instanceof RateLimiterRes) return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        throw error;
      }
    },
  };
}
