import { AppError } from './http/errors.ts';

/**
 * At most `size` of a kind of work at once in this process; more is refused at once (503 with
 * Retry-After), not queued behind a connection pool that other requests need.
 */
export class Gate {
  private running = 0;

  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) {
      throw new AppError('service_unavailable', `${this.size} downloads are already running: try again in a moment`, {
        extra: { retryAfter: 5 },
      });
    }
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
    }
  }
}
