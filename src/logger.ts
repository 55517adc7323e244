import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * Structured logs on stderr. The token never reaches a log line: redaction covers the places
 * it could appear in objects we log, and anything else that mentions it (an error message,
 * a URL) is scrubbed before it is written.
 */
export function createLogger(level: string, token?: string, destination: pino.DestinationStream = defaultDestination()): Logger {
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

/**
 * A person at a terminal reads lines ("12:03:04 INFO: bot ready"); a service manager or a log
 * collector gets one JSON object per line. Both on stderr. pino-pretty runs in this thread, as a
 * stream, so a line is written before the process can exit.
 */
function defaultDestination(): pino.DestinationStream {
  return process.stderr.isTTY ? terminalLines(2, true) : pino.destination(2);
}

/** Readable log lines for a terminal, written to `destination` (a file descriptor or a stream). */
export function terminalLines(destination: number | NodeJS.WritableStream, colorize = false): pino.DestinationStream {
  return pretty({ destination, colorize, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true });
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
