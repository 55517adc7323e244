import { parseArgs } from 'node:util';
import { formatLoad, runLoad } from '../load/run.js';
import { fail, messageOf } from '../../src/cli/fail.js';

const USAGE = `Usage: npm run load -- [--count 500] [--users 50] [--seconds 10] [--lost-after 60] [--heartbeat-ms 1000] [--ceiling-mib 1024] [--json]

Runs the real bot (createBot, a real engine with the project-built model) against the fake Discord
of the tests, sends --count /ask interactions from --users users spread over --seconds, and prints
acknowledgement and answer latencies, answered/lost, peak memory, event-loop delay and whether the
gateway heartbeat kept being ACKed. It reports; it exits 0 even when a target is missed, 1 on a crash.`;

const positive = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number (got "${raw}")\n${USAGE}`, 2);
  return n;
};

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        count: { type: 'string', default: '500' },
        users: { type: 'string', default: '50' },
        seconds: { type: 'string', default: '10' },
        'lost-after': { type: 'string', default: '60' },
        'heartbeat-ms': { type: 'string', default: '1000' },
        'ceiling-mib': { type: 'string', default: '1024' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    fail(`${messageOf(error)}\n${USAGE}`, 2);
  }
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const result = await runLoad({
    count: Math.round(positive('count', values.count)),
    users: Math.round(positive('users', values.users)),
    seconds: positive('seconds', values.seconds),
    lostAfterSeconds: positive('lost-after', values['lost-after']),
    heartbeatMs: Math.round(positive('heartbeat-ms', values['heartbeat-ms'])),
    memoryCeilingBytes: positive('ceiling-mib', values['ceiling-mib']) * 1024 * 1024,
    progress: values.json ? undefined : (line) => process.stderr.write(`load: ${line}\n`),
  });
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatLoad(result)}\n`);
  // Sockets and timers of discord.js may linger after destroy(); the run is over.
  process.exit(0);
}

main().catch((error: unknown) => fail(messageOf(error)));
