import pino, { type Logger } from 'pino';

/**
 * Structured logs on stderr. The token never reaches a log line: redaction covers the places
 * it could appear in objects we log, and anything else that mentions it (an error message,
 * a URL) is scrubbed before it is written.
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
              method.apply(this, args.map((a) => scrubValue(a, secret)) as Parameters<typeof method>);
            },
          }
        : {},
    },
    destination,
  );
}

export function scrub(text: string, secret: string): string {
  return text.split(secret).join('[redacted]');
}

/** A copy of a log argument with the secret removed; errors become plain objects with their message and stack. */
function scrubValue(value: unknown, secret: string): unknown {
  if (typeof value === 'string') return scrub(value, secret);
  if (value === null || typeof value !== 'object') return value;
  const json = JSON.stringify(value, (_key, v: unknown) => (v instanceof Error ? { ...pino.stdSerializers.err(v) } : v));
  return json === undefined ? value : (JSON.parse(scrub(json, secret)) as unknown);
}

export type { Logger };
