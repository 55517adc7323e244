// The fake REST API: records every call, injects faults, and answers like Discord would.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { boundaryOf, parseMultipart } from './multipart.js';
import { BoundedLog, isRecord } from './util.js';
import { apiError, CallbackType, formError, InteractionType, type ApiError, type ApiObject, type InteractionState, type RecordedFile, type World } from './world.js';

export interface RecordedCall {
  /** Position in the log (publication order, i.e. when the fake finished answering). */
  seq: number;
  /** When the request arrived (ms since epoch). */
  at: number;
  method: string;
  /**
   * Decoded path relative to the API base and version, without the query string:
   * e.g. `/webhooks/123/tok/messages/@original` (discord.js/undici may send `@` as `%40`).
   */
  path: string;
  /** Request target exactly as received (undecoded, with query). */
  rawUrl: string;
  /** `10` for `/api/v10/...`, `null` when the request had no version segment. */
  apiVersion: number | null;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body; for multipart, the parsed `payload_json` part (plus other text fields). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  files: RecordedFile[];
  /** Status the fake answered with (0 if the connection was reset by a fault). */
  status: number;
  /** Body the fake answered with (undefined for 204). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  response: any;
  /** Description of the injected fault, if one was applied. */
  fault: string | undefined;
}

/**
 * Which calls a fault applies to:
 * - a string `'PATCH /webhooks/:app/:token/messages/@original'` (method optional; `:name` matches one
 *   segment, `*` matches anything; matched against the decoded `path`),
 * - a RegExp tested against `'METHOD /path'`,
 * - or a predicate on the recorded call.
 */
export type RouteMatcher = string | RegExp | ((call: RecordedCall) => boolean);

export type Fault =
  /** Rate limit. `retryAfter` in seconds (default 0.1; sent verbatim in `retry-after`). */
  | { status: 429; retryAfter?: number; global?: boolean; scope?: 'user' | 'shared' | 'global' }
  /** Any other error status (5xx are retried by discord.js, 4xx are thrown as DiscordAPIError). */
  | { status: number; code?: number; message?: string; body?: ApiObject }
  /** Destroy the TCP socket without answering (undici: UND_ERR_SOCKET — discord.js does NOT retry it). */
  | { kind: 'reset' }
  /** Answer normally, but only after `ms` (exceeding `rest.timeout` makes discord.js abort and retry). */
  | { kind: 'delay'; ms: number };

export interface FaultHandle {
  /** How many times the fault has been applied so far. */
  readonly hits: number;
  /** How many more times it will be applied. */
  readonly remaining: number;
  cancel(): void;
}

interface FaultEntry {
  matches: (call: RecordedCall) => boolean;
  fault: Fault;
  remaining: number;
  hits: number;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Ctx {
  call: RecordedCall;
  params: string[];
  world: World;
}

type Handler = (ctx: Ctx) => Answer | ApiError;

interface Route {
  method: string;
  re: RegExp;
  auth: boolean;
  handler: Handler;
}

export interface RestOptions {
  gatewayUrl: () => string;
  /** If set, REST calls needing auth must carry `Authorization: Bot <token>`. */
  token: string | undefined;
  /** Reject interaction callbacks arriving later than this after dispatch (Discord: 3000). Off when undefined. */
  interactionCallbackDeadlineMs: number | undefined;
  /** Enforce Discord's message validation (2000 chars, empty messages, embed limits). */
  validateMessages: boolean;
  maxBodyBytes: number;
  /** Sends a gateway event to the sessions that see `guildId` (THREAD_CREATE for a thread the bot started). */
  dispatch?: (t: string, d: unknown, guildId: string | null) => void;
}

const MAX_KEPT_FILE_BYTES = 1024 * 1024;

export function compileMatcher(matcher: RouteMatcher): (call: RecordedCall) => boolean {
  if (typeof matcher === 'function') return matcher;
  if (matcher instanceof RegExp) {
    return (call) => {
      matcher.lastIndex = 0;
      return matcher.test(`${call.method} ${call.path}`);
    };
  }
  const spaced = /^([A-Za-z]+)\s+(\S+)$/.exec(matcher.trim());
  const method = spaced ? spaced[1]!.toUpperCase() : undefined;
  const pattern = (spaced ? spaced[2]! : matcher.trim()).replace(/^\/api(?:\/v\d+)?(?=\/)/, '');
  const source = pattern
    .split(/(:[A-Za-z_][A-Za-z0-9_]*|\*)/)
    .map((piece) => (piece === '*' ? '.*' : piece.startsWith(':') ? '[^/]+' : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${source}/?$`);
  return (call) => (!method || call.method === method) && re.test(call.path);
}

function decodePath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

/** Thrown by route helpers to answer with a Discord-shaped error. */
class Refusal extends Error {
  constructor(readonly answer: ApiError) {
    super(String(answer.body.message));
  }
}

function refuse(status: number, code: number, message: string): never {
  throw new Refusal(apiError(status, code, message));
}

export class RestServer {
  readonly log: BoundedLog<RecordedCall>;
  private readonly faults: FaultEntry[] = [];
  private readonly routes: Route[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly world: World,
    private readonly options: RestOptions,
    maxRecorded: number,
  ) {
    this.log = new BoundedLog<RecordedCall>(maxRecorded);
    this.defineRoutes();
  }

  failNext(matcher: RouteMatcher, fault: Fault, times = 1): FaultHandle {
    const entry: FaultEntry = { matches: compileMatcher(matcher), fault, remaining: times, hits: 0 };
    this.faults.push(entry);
    const faults = this.faults;
    return {
      get hits() {
        return entry.hits;
      },
      get remaining() {
        return entry.remaining;
      },
      cancel() {
        entry.remaining = 0;
        const i = faults.indexOf(entry);
        if (i !== -1) faults.splice(i, 1);
      },
    };
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private takeFault(call: RecordedCall): Fault | undefined {
    for (let i = 0; i < this.faults.length; i++) {
      const entry = this.faults[i]!;
      if (entry.remaining > 0 && entry.matches(call)) {
        entry.remaining--;
        entry.hits++;
        if (entry.remaining <= 0) this.faults.splice(i, 1);
        return entry.fault;
      }
    }
    return undefined;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://fake.invalid');
    const decoded = decodePath(url.pathname);
    const m = /^\/api(?:\/v(\d+))?(\/.*)?$/.exec(decoded);
    const apiVersion = m?.[1] ? Number(m[1]) : null;
    let path = m ? (m[2] ?? '/') : decoded;
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;

    const call: RecordedCall = {
      seq: 0,
      at,
      method: (req.method ?? 'GET').toUpperCase(),
      path,
      rawUrl,
      apiVersion,
      query,
      headers: { ...req.headers },
      body: undefined,
      files: [],
      status: 0,
      response: undefined,
      fault: undefined,
    };

    let answer: Answer;
    try {
      const raw = await this.readBody(req);
      if (raw === null) {
        answer = apiError(413, 40005, 'Request entity too large');
      } else {
        this.parseBody(call, raw, String(req.headers['content-type'] ?? ''));
        const fault = this.takeFault(call);
        if (fault && 'kind' in fault && fault.kind === 'reset') {
          call.fault = 'reset';
          req.socket.destroy();
          this.log.publish(call);
          return;
        }
        if (fault && 'kind' in fault && fault.kind === 'delay') {
          call.fault = `delay ${fault.ms}ms`;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              this.timers.delete(timer);
              resolve();
            }, fault.ms);
            this.timers.add(timer);
          });
          if (this.closed) return;
        }
        if (fault && 'status' in fault) {
          answer = this.faultAnswer(call, fault);
        } else if (m) {
          answer = this.route(call);
        } else {
          answer = apiError(404, 0, '404: Not Found');
        }
      }
    } catch (error) {
      answer = apiError(500, 0, `fake-discord internal error: ${error instanceof Error ? error.message : String(error)}`);
    }

    call.status = answer.status;
    call.response = answer.body;
    try {
      if (!res.destroyed && !res.headersSent) {
        const headers: Record<string, string> = { ...answer.headers };
        if (answer.body !== undefined && answer.status !== 204) {
          const text = JSON.stringify(answer.body);
          headers['content-type'] = 'application/json';
          headers['content-length'] = String(Buffer.byteLength(text));
          res.writeHead(answer.status, headers);
          res.end(text);
        } else {
          res.writeHead(answer.status, headers);
          res.end();
        }
      }
    } catch {
      res.destroy();
    }
    this.log.publish(call);
  }

  private readBody(req: IncomingMessage): Promise<Buffer | null> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooBig = false;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.options.maxBodyBytes) tooBig = true;
        else chunks.push(chunk);
      });
      req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  private parseBody(call: RecordedCall, raw: Buffer, contentType: string): void {
    if (raw.length === 0) return;
    if (contentType.startsWith('multipart/form-data')) {
      const boundary = boundaryOf(contentType);
      if (!boundary) return;
      const body: ApiObject = {};
      for (const part of parseMultipart(raw, boundary)) {
        if (part.filename !== undefined || (part.contentType && !part.contentType.startsWith('text/plain'))) {
          call.files.push({
            field: part.name,
            filename: part.filename,
            contentType: part.contentType,
            size: part.data.length,
            data: part.data.length <= MAX_KEPT_FILE_BYTES ? part.data : undefined,
          });
        } else if (part.name === 'payload_json') {
          try {
            Object.assign(body, JSON.parse(part.data.toString('utf8')));
          } catch {
            body.payload_json = part.data.toString('utf8');
          }
        } else {
          body[part.name] = part.data.toString('utf8');
        }
      }
      call.body = body;
      return;
    }
    const text = raw.toString('utf8');
    if (contentType.includes('json')) {
      try {
        call.body = JSON.parse(text);
        return;
      } catch {
        // fall through: keep the text
      }
    }
    call.body = text;
  }

  private faultAnswer(call: RecordedCall, fault: Extract<Fault, { status: number }>): Answer {
    if (fault.status === 429) {
      const f = fault as Extract<Fault, { status: 429 }>;
      const retryAfter = f.retryAfter ?? 0.1;
      const global = f.global === true;
      const scope = f.scope ?? (global ? 'global' : 'user');
      call.fault = `429 retry-after ${retryAfter}s${global ? ' global' : ''}`;
      const headers: Record<string, string> = {
        'retry-after': String(retryAfter),
        'x-ratelimit-scope': scope,
      };
      if (global) {
        headers['x-ratelimit-global'] = 'true';
      } else {
        headers['x-ratelimit-limit'] = '1';
        headers['x-ratelimit-remaining'] = '0';
        headers['x-ratelimit-reset'] = ((Date.now() + retryAfter * 1000) / 1000).toFixed(3);
        headers['x-ratelimit-reset-after'] = retryAfter.toFixed(3);
        headers['x-ratelimit-bucket'] = `fake-${Buffer.from(`${call.method} ${call.path.replace(/\d{17,20}/g, ':id')}`).toString('base64url').slice(0, 24)}`;
      }
      return { status: 429, headers, body: { message: 'You are being rate limited.', retry_after: retryAfter, global, code: 0 } };
    }
    const other = fault as { status: number; code?: number; message?: string; body?: ApiObject };
    call.fault = `status ${other.status}`;
    const text = other.message ?? `${other.status}: ${other.status >= 500 ? 'Internal Server Error' : 'Error'}`;
    return { status: other.status, body: other.body ?? { message: text, code: other.code ?? 0 } };
  }

  private route(call: RecordedCall): Answer {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.re.exec(call.path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== call.method) continue;
      if (route.auth) {
        const header = call.headers.authorization;
        const expected = this.options.token;
        if (typeof header !== 'string' || !header.startsWith('Bot ') || (expected !== undefined && header !== `Bot ${expected}`)) {
          return apiError(401, 0, '401: Unauthorized');
        }
      }
      try {
        return route.handler({ call, params: match.slice(1), world: this.world });
      } catch (error) {
        if (error instanceof Refusal) return error.answer;
        throw error;
      }
    }
    return pathMatched ? apiError(405, 0, '405: Method Not Allowed') : apiError(404, 0, '404: Not Found');
  }

  private add(method: string, pattern: string, auth: boolean, handler: Handler): void {
    const source = pattern
      .split(/(:[a-z]+)/)
      .map((piece) => (piece.startsWith(':') ? '([^/]+)' : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    this.routes.push({ method, re: new RegExp(`^${source}$`), auth, handler });
  }

  private defineRoutes(): void {
    const w = this.world;
    const ok = (body: unknown, status = 200): Answer => ({ status, body });
    const noContent: Answer = { status: 204 };
    const gatewayBot = (): Answer =>
      ok({
        url: this.options.gatewayUrl(),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      });

    this.add('GET', '/gateway', false, () => ok({ url: this.options.gatewayUrl() }));
    this.add('GET', '/gateway/bot', true, gatewayBot);

    // --- Interactions -----------------------------------------------------------------------
    this.add('POST', '/interactions/:id/:token/callback', false, ({ call, params }) => this.interactionCallback(call, params[0]!, params[1]!));

    const interactionFor = (app: string, token: string): InteractionState => {
      const state = w.interactionsByToken.get(token);
      if (!state || state.applicationId !== app) refuse(404, 10015, 'Unknown Webhook');
      return state;
    };
    const webhookMessage = (state: InteractionState, ref: string): ApiObject => {
      const id = ref === '@original' ? state.originalMessageId : ref;
      const message = id ? w.messages.get(id) : undefined;
      if (!message) refuse(404, 10008, 'Unknown Message');
      return message;
    };

    this.add('POST', '/webhooks/:app/:token', false, ({ call, params }) => {
      const state = interactionFor(params[0]!, params[1]!);
      if (state.responseType === undefined) return apiError(404, 10015, 'Unknown Webhook');
      const body = isRecord(call.body) ? call.body : {};
      const invalid = this.validate(body, { create: true, hasFiles: call.files.length > 0 });
      if (invalid) return invalid;
      const message = w.createMessage({ channelId: state.channelId, guildId: state.guildId, body, files: call.files, webhook: state });
      return call.query.wait === 'true' ? ok(message) : noContent;
    });
    this.add('GET', '/webhooks/:app/:token/messages/:message', false, ({ params }) => {
      const state = interactionFor(params[0]!, params[1]!);
      return ok(webhookMessage(state, params[2]!));
    });
    this.add('PATCH', '/webhooks/:app/:token/messages/:message', false, ({ call, params }) => {
      const state = interactionFor(params[0]!, params[1]!);
      const message = webhookMessage(state, params[2]!);
      const body = isRecord(call.body) ? call.body : {};
      const invalid = this.validate(body, { create: false, hasFiles: call.files.length > 0 });
      if (invalid) return invalid;
      return ok(w.editMessage(message, body, call.files));
    });
    this.add('DELETE', '/webhooks/:app/:token/messages/:message', false, ({ params }) => {
      const state = interactionFor(params[0]!, params[1]!);
      const message = webhookMessage(state, params[2]!);
      w.messages.delete(String(message.id));
      return noContent;
    });

    // --- Channels & messages ------------------------------------------------------------------
    const channelOr404 = (id: string): ApiObject => w.channels.get(id) ?? refuse(404, 10003, 'Unknown Channel');

    this.add('GET', '/channels/:id', true, ({ params }) => ok(channelOr404(params[0]!)));
    this.add('POST', '/channels/:id/typing', true, ({ params }) => {
      channelOr404(params[0]!);
      return noContent;
    });
    this.add('GET', '/channels/:id/messages', true, ({ call, params }) => {
      const channel = channelOr404(params[0]!);
      const limit = Math.min(100, Math.max(1, Number(call.query.limit ?? 50) || 50));
      const list = [...w.messages.values()].filter((msg) => msg.channel_id === channel.id).reverse().slice(0, limit);
      return ok(list);
    });
    this.add('POST', '/channels/:id/messages', true, ({ call, params }) => {
      const channel = channelOr404(params[0]!);
      const body: ApiObject = isRecord(call.body) ? { ...call.body } : {};
      const invalid = this.validate(body, { create: true, hasFiles: call.files.length > 0 });
      if (invalid) return invalid;
      if (isRecord(body.message_reference) && body.message_reference.message_id !== undefined) {
        const known = w.messages.has(String(body.message_reference.message_id));
        if (!known) {
          if (body.message_reference.fail_if_not_exists === false) delete body.message_reference;
          else
            return formError(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
        }
      }
      const message = w.createMessage({ channelId: channel.id, guildId: channel.guild_id ?? null, body, files: call.files });
      return ok(message);
    });
    this.add('GET', '/channels/:id/messages/:message', true, ({ params }) => {
      const message = w.messages.get(params[1]!);
      return message && message.channel_id === params[0] ? ok(message) : apiError(404, 10008, 'Unknown Message');
    });
    this.add('PATCH', '/channels/:id/messages/:message', true, ({ call, params }) => {
      const message = w.messages.get(params[1]!);
      if (!message || message.channel_id !== params[0]) return apiError(404, 10008, 'Unknown Message');
      if (message.author?.id !== w.bot.id) return apiError(403, 50005, 'Cannot edit a message authored by another user');
      const body = isRecord(call.body) ? call.body : {};
      const invalid = this.validate(body, { create: false, hasFiles: call.files.length > 0 });
      if (invalid) return invalid;
      return ok(w.editMessage(message, body, call.files));
    });
    this.add('DELETE', '/channels/:id/messages/:message', true, ({ params }) => {
      const message = w.messages.get(params[1]!);
      if (!message || message.channel_id !== params[0]) return apiError(404, 10008, 'Unknown Message');
      w.messages.delete(params[1]!);
      return noContent;
    });
    // Start Thread from Message: the thread's id is the message's; a name of 1–100 characters.
    this.add('POST', '/channels/:id/messages/:message/threads', true, ({ call, params }) => {
      const channel = channelOr404(params[0]!);
      const message = w.messages.get(params[1]!);
      if (!message || message.channel_id !== channel.id) return apiError(404, 10008, 'Unknown Message');
      if (channel.type !== 0 && channel.type !== 5) return apiError(400, 50024, 'Cannot execute action on this channel type');
      if (w.channels.has(String(message.id))) return apiError(400, 160004, 'A thread has already been created for this message');
      const name = isRecord(call.body) && typeof call.body.name === 'string' ? call.body.name : '';
      if (name.length < 1 || name.length > 100) return formError(['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      const thread = w.addThread({ id: String(message.id), parentId: channel.id, name, ownerId: w.bot.id, autoArchive: Number((call.body as ApiObject).auto_archive_duration ?? 1440) });
      this.options.dispatch?.('THREAD_CREATE', { ...thread, newly_created: true }, channel.guild_id ?? null);
      return ok(thread);
    });
    for (const method of ['PUT', 'DELETE']) {
      this.add(method, '/channels/:id/messages/:message/reactions/:emoji/@me', true, ({ params }) =>
        w.messages.has(params[1]!) ? noContent : apiError(404, 10008, 'Unknown Message'),
      );
    }

    // --- Users, applications, guilds ----------------------------------------------------------
    this.add('GET', '/users/@me', true, () => ok(w.bot));
    this.add('POST', '/users/@me/channels', true, ({ call }) => {
      const recipientId = isRecord(call.body) ? String(call.body.recipient_id ?? '') : '';
      if (!/^\d+$/.test(recipientId)) return apiError(400, 50035, 'Invalid Form Body');
      return ok(w.dmChannelWith(w.lookupUser(recipientId)));
    });
    this.add('GET', '/users/:id', true, ({ params }) => {
      const user = w.users.get(params[0]!);
      return user ? ok(user) : apiError(404, 10013, 'Unknown User');
    });
    this.add('GET', '/applications/@me', true, () => ok(w.application()));
    this.add('PATCH', '/applications/@me', true, ({ call }) => ok({ ...w.application(), ...(isRecord(call.body) ? call.body : {}) }));
    this.add('GET', '/oauth2/applications/@me', true, () => ok(w.application()));

    const checkApp = (app: string): ApiError | undefined =>
      app === w.applicationId ? undefined : apiError(403, 20012, 'You are not authorized to perform this action on this application');
    const checkGuild = (guild: string): ApiError | undefined => (guild === w.guildId ? undefined : apiError(404, 10004, 'Unknown Guild'));

    this.add('GET', '/applications/:app/commands', true, ({ params }) => checkApp(params[0]!) ?? ok(w.globalCommands));
    this.add('PUT', '/applications/:app/commands', true, ({ call, params }) => {
      const err = checkApp(params[0]!);
      if (err) return err;
      const result = w.registerCommands(call.body, null);
      return Array.isArray(result) ? ok(result) : result;
    });
    this.add('POST', '/applications/:app/commands', true, ({ call, params }) => {
      const err = checkApp(params[0]!);
      if (err) return err;
      if (!isRecord(call.body)) return apiError(400, 50035, 'Invalid Form Body');
      const command = w.commandObject(call.body, null);
      w.globalCommands = [...w.globalCommands.filter((c) => c.name !== command.name), command];
      return ok(command, 201);
    });
    this.add('DELETE', '/applications/:app/commands/:command', true, ({ params }) => {
      const err = checkApp(params[0]!);
      if (err) return err;
      const before = w.globalCommands.length;
      w.globalCommands = w.globalCommands.filter((c) => c.id !== params[1]);
      return before === w.globalCommands.length ? apiError(404, 10063, 'Unknown application command') : noContent;
    });
    this.add('GET', '/applications/:app/guilds/:guild/commands', true, ({ params }) =>
      checkApp(params[0]!) ?? checkGuild(params[1]!) ?? ok(w.guildCommands.get(params[1]!) ?? []),
    );
    this.add('PUT', '/applications/:app/guilds/:guild/commands', true, ({ call, params }) => {
      const err = checkApp(params[0]!) ?? checkGuild(params[1]!);
      if (err) return err;
      const result = w.registerCommands(call.body, params[1]!);
      return Array.isArray(result) ? ok(result) : result;
    });
    this.add('POST', '/applications/:app/guilds/:guild/commands', true, ({ call, params }) => {
      const err = checkApp(params[0]!) ?? checkGuild(params[1]!);
      if (err) return err;
      if (!isRecord(call.body)) return apiError(400, 50035, 'Invalid Form Body');
      const command = w.commandObject(call.body, params[1]!);
      const list = (w.guildCommands.get(params[1]!) ?? []).filter((c) => c.name !== command.name);
      w.guildCommands.set(params[1]!, [...list, command]);
      return ok(command, 201);
    });

    this.add('GET', '/guilds/:guild', true, ({ params }) => checkGuild(params[0]!) ?? ok(w.guildObject()));
    this.add('GET', '/guilds/:guild/channels', true, ({ params }) => checkGuild(params[0]!) ?? ok(w.guildChannels()));
    this.add('GET', '/guilds/:guild/roles', true, ({ params }) => checkGuild(params[0]!) ?? ok(w.roles()));
    this.add('GET', '/guilds/:guild/members/:user', true, ({ params }) => {
      const err = checkGuild(params[0]!);
      if (err) return err;
      const user = w.users.get(params[1]!);
      if (!user) return apiError(404, 10007, 'Unknown Member');
      return ok(w.member(user, user.id === w.bot.id ? [w.botRoleId] : []));
    });
  }

  private validate(body: ApiObject, opts: { create: boolean; hasFiles: boolean; prefix?: string[] }): ApiError | undefined {
    return this.options.validateMessages ? this.world.validateMessageBody(body, opts) : undefined;
  }

  private interactionCallback(call: RecordedCall, id: string, token: string): Answer {
    const w = this.world;
    const state = w.interactions.get(id);
    if (!state || state.token !== token) return apiError(404, 10062, 'Unknown interaction');
    const deadline = this.options.interactionCallbackDeadlineMs;
    if (deadline !== undefined && call.at - state.createdAt > deadline) return apiError(404, 10062, 'Unknown interaction');
    if (state.responseType !== undefined) return apiError(400, 40060, 'Interaction has already been acknowledged.');
    const body = isRecord(call.body) ? call.body : {};
    const type = body.type;
    const allowed: Record<number, number[]> = {
      [InteractionType.Ping]: [CallbackType.Pong],
      [InteractionType.ApplicationCommand]: [4, 5, 9, 10, 12],
      [InteractionType.MessageComponent]: [4, 5, 6, 7, 9, 10, 12],
      [InteractionType.Autocomplete]: [8],
      [InteractionType.ModalSubmit]: [4, 5, 6, 7, 10],
    };
    if (typeof type !== 'number' || !(allowed[state.type] ?? []).includes(type)) {
      return formError(['type'], 'INTERACTION_RESPONSE_TYPE_INVALID', `Invalid interaction response type ${String(type)} for interaction type ${state.type}`);
    }
    const data = isRecord(body.data) ? body.data : {};
    const flags = typeof data.flags === 'number' ? data.flags : 0;
    let message: ApiObject | undefined;

    switch (type) {
      case CallbackType.ChannelMessageWithSource: {
        const invalid = this.validate(data, { create: true, hasFiles: call.files.length > 0, prefix: ['data'] });
        if (invalid) return invalid;
        message = w.createMessage({ channelId: state.channelId, guildId: state.guildId, body: data, files: call.files, webhook: state });
        state.originalMessageId = message.id;
        state.ephemeral = (flags & 64) !== 0;
        break;
      }
      case CallbackType.DeferredChannelMessageWithSource: {
        message = w.createMessage({ channelId: state.channelId, guildId: state.guildId, body: { content: '', flags }, files: [], webhook: state, flags: 128 });
        state.originalMessageId = message.id;
        state.ephemeral = (flags & 64) !== 0;
        break;
      }
      case CallbackType.DeferredUpdateMessage: {
        state.originalMessageId = state.componentMessageId;
        break;
      }
      case CallbackType.UpdateMessage: {
        const invalid = this.validate(data, { create: false, hasFiles: call.files.length > 0, prefix: ['data'] });
        if (invalid) return invalid;
        const existing = state.componentMessageId ? w.messages.get(state.componentMessageId) : undefined;
        if (existing) message = w.editMessage(existing, data, call.files);
        state.originalMessageId = state.componentMessageId;
        break;
      }
      case CallbackType.ApplicationCommandAutocompleteResult: {
        const choices = data.choices;
        if (!Array.isArray(choices) || choices.length > 25) {
          return formError(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
        }
        for (const [i, choice] of choices.entries()) {
          const name: unknown = isRecord(choice) ? choice.name : undefined;
          if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
            return formError(['data', 'choices', String(i), 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
          }
        }
        break;
      }
      case CallbackType.Modal: {
        if (typeof data.custom_id !== 'string' || typeof data.title !== 'string' || !Array.isArray(data.components)) {
          return apiError(400, 50035, 'Invalid Form Body');
        }
        break;
      }
      default:
        break;
    }
    state.responseType = type;
    state.acknowledgedAt = call.at;

    if (call.query.with_response !== 'true') return { status: 204 };
    const original = state.originalMessageId ? w.messages.get(state.originalMessageId) : undefined;
    return {
      status: 200,
      body: {
        interaction: {
          id: state.id,
          type: state.type,
          activity_instance_id: null,
          response_message_id: state.originalMessageId ?? null,
          response_message_loading: type === CallbackType.DeferredChannelMessageWithSource,
          response_message_ephemeral: state.ephemeral,
        },
        resource: {
          type,
          ...((message ?? original) && type !== CallbackType.DeferredUpdateMessage ? { message: message ?? original } : {}),
        },
      },
    };
  }
}
