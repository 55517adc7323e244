import pino, { type Logger } from 'pino';

/**
 * Structured logs on stderr. The token never reaches a log line: redaction covers the places
 * it could appear in objects we log, and `scrub` replaces it in any text.
 */
export function createLogger(level: string, token?: string, destination: pino.DestinationStream = pino.destination(2)): Logger {
  const secret = token && token.length >= 8 ? token : undefined;
  return pino(
    {
      level,
      redact: { paths: ['token', '*.token', 'config.DISCORD_TOKEN', 'DISCORD_TOKEN', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
      hooks: secret
        ? {
            logMethod(args, method) {
              method.apply(
                this,
                args.map((a) => (typeof a === 'string' ? scrub(a, secret) : a)) as Parameters<typeof method>,
              );
            },
          }
        : {},
      formatters: secret
        ? {
            log: (object) => JSON.parse(scrub(JSON.stringify(object), secret)) as Record<string, unknown>,
          }
        : {},
    },
    destination,
  );
}

export function scrub(text: string, secret: string): string {
  return text.split(secret).join('[redacted]');
}

export type { Logger };
