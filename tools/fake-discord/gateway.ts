// The fake gateway: HELLO / heartbeat ACK / IDENTIFY→READY+GUILD_CREATE / RESUME→replay+RESUMED,
// per-session sequence numbers, intent filtering, shard routing, and fault injection.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { BoundedLog, Condition, isRecord, randomToken } from './util.js';
import { World, type ApiObject } from './world.js';

export interface GatewayFrame {
  seq: number;
  at: number;
  /** Which WebSocket connection (1, 2, ... in connection order). */
  connectionId: number;
  direction: 'in' | 'out';
  op: number | null;
  t: string | null;
  s: number | null;
  d: unknown;
}

export interface GatewayStats {
  /** WebSocket connections accepted. */
  connections: number;
  /** IDENTIFY payloads answered with READY. */
  identifies: number;
  /** RESUME payloads answered with RESUMED. */
  resumes: number;
  /** INVALID_SESSION (op 9) sent. */
  invalidSessions: number;
  heartbeats: number;
  /** Dispatches sent or queued for replay (READY, GUILD_CREATE and everything else). */
  dispatched: number;
  /** Dispatches not delivered because the session lacked the intent. */
  filteredByIntents: number;
  /** Connections the fake closed on purpose (dropConnections, protocol errors). */
  dropped: number;
}

export const Intents = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
} as const;

export interface GatewaySession {
  id: string;
  shard: [number, number];
  intents: number;
  seq: number;
  conn: Conn | null;
  /** Recent dispatches for RESUME replay (bounded). */
  replay: Array<{ s: number; text: string }>;
}

interface Conn {
  id: number;
  ws: WebSocket;
  session: GatewaySession | null;
  query: Record<string, string>;
}

export interface GatewayOptions {
  heartbeatIntervalMs: number;
  token: string | undefined;
  gatewayUrl: () => string;
  replayBufferSize: number;
  recordOutgoing: boolean;
  guildCreateDelayMs: number;
}

export class Gateway {
  readonly log: BoundedLog<GatewayFrame>;
  readonly stats: GatewayStats = {
    connections: 0,
    identifies: 0,
    resumes: 0,
    invalidSessions: 0,
    heartbeats: 0,
    dispatched: 0,
    filteredByIntents: 0,
    dropped: 0,
  };
  readonly changed = new Condition();
  /** Set to false to stop answering heartbeats (discord.js then treats the connection as zombie and resumes). */
  ackHeartbeats = true;
  readonly ready: Promise<void>;

  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  private readonly sessions = new Map<string, GatewaySession>();
  private readonly conns = new Set<Conn>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextConnId = 1;
  private resolveReady!: () => void;
  private rejectReady!: (e: Error) => void;
  private closed = false;

  constructor(
    private readonly world: World,
    private readonly options: GatewayOptions,
    maxRecorded: number,
  ) {
    this.log = new BoundedLog<GatewayFrame>(maxRecorded);
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => undefined);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
  }

  /** Connections currently open. */
  get openConnections(): number {
    let n = 0;
    for (const conn of this.conns) if (conn.ws.readyState === WebSocket.OPEN) n++;
    return n;
  }

  private record(conn: Conn, direction: 'in' | 'out', payload: ApiObject): void {
    if (direction === 'out' && !this.options.recordOutgoing) return;
    this.log.publish({
      seq: 0,
      at: Date.now(),
      connectionId: conn.id,
      direction,
      op: typeof payload.op === 'number' ? payload.op : null,
      t: typeof payload.t === 'string' ? payload.t : null,
      s: typeof payload.s === 'number' ? payload.s : null,
      d: payload.d,
    });
  }

  private sendRaw(conn: Conn, payload: ApiObject, text: string = JSON.stringify(payload)): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    conn.ws.send(text);
    this.record(conn, 'out', payload);
  }

  private closeConn(conn: Conn, code: number, reason = ''): void {
    this.stats.dropped++;
    if (code === 1006) conn.ws.terminate();
    else conn.ws.close(code, reason);
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const query: Record<string, string> = {};
    for (const [k, v] of new URL(req.url ?? '/', 'ws://fake.invalid').searchParams) query[k] = v;
    const conn: Conn = { id: this.nextConnId++, ws, session: null, query };
    this.conns.add(conn);
    this.stats.connections++;
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    ws.on('close', (code) => this.onClose(conn, code));
    ws.on('error', () => undefined);
    this.changed.notify();
    if (query.encoding !== undefined && query.encoding !== 'json') {
      // ETF is not emulated. (zlib-stream `compress` is ignored: discord.js parses text frames regardless.)
      this.closeConn(conn, 4002, 'fake-discord only speaks encoding=json');
      return;
    }
    this.sendRaw(conn, { op: 10, d: { heartbeat_interval: this.options.heartbeatIntervalMs, _trace: ['["fake-discord",{}]'] }, s: null, t: null });
  }

  private onClose(conn: Conn, code: number): void {
    this.conns.delete(conn);
    const session = conn.session;
    if (session && session.conn === conn) {
      session.conn = null;
      // A client closing with 1000/1001 ends its session (it cannot be resumed).
      if (code === 1000 || code === 1001) this.sessions.delete(session.id);
    }
    this.changed.notify();
  }

  private onMessage(conn: Conn, data: RawData, isBinary: boolean): void {
    let payload: unknown;
    try {
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      payload = JSON.parse(text);
    } catch {
      this.record(conn, 'in', { op: null, d: isBinary ? '<binary>' : '<unparseable>' });
      this.closeConn(conn, 4002, 'Error while decoding payload.');
      return;
    }
    if (!isRecord(payload)) {
      this.closeConn(conn, 4002, 'Error while decoding payload.');
      return;
    }
    this.record(conn, 'in', payload);
    const d = payload.d;
    switch (payload.op) {
      case 1: // Heartbeat
        this.stats.heartbeats++;
        if (this.ackHeartbeats) this.sendRaw(conn, { op: 11 });
        return;
      case 2: // Identify
        this.identify(conn, isRecord(d) ? d : {});
        return;
      case 6: // Resume
        this.resume(conn, isRecord(d) ? d : {});
        return;
      case 3: // Presence update
      case 4: // Voice state update
      case 31: // Request soundboard sounds
        if (!conn.session) this.closeConn(conn, 4003, 'Not authenticated.');
        return;
      case 8: // Request guild members
        if (!conn.session) {
          this.closeConn(conn, 4003, 'Not authenticated.');
          return;
        }
        this.guildMembersChunk(conn.session, isRecord(d) ? d : {});
        return;
      default:
        this.closeConn(conn, 4001, 'Unknown opcode.');
    }
  }

  /** IDENTIFY and RESUME alike: one session per connection, and the right token when one is set. */
  private authenticate(conn: Conn, d: ApiObject): boolean {
    if (conn.session) {
      this.closeConn(conn, 4005, 'Already authenticated.');
      return false;
    }
    if (this.options.token !== undefined && d.token !== this.options.token) {
      this.closeConn(conn, 4004, 'Authentication failed.');
      return false;
    }
    return true;
  }

  private identify(conn: Conn, d: ApiObject): void {
    if (!this.authenticate(conn, d)) return;
    if (typeof d.intents !== 'number') {
      this.closeConn(conn, 4013, 'Invalid intent(s).');
      return;
    }
    const shard: [number, number] =
      Array.isArray(d.shard) && typeof d.shard[0] === 'number' && typeof d.shard[1] === 'number' ? [d.shard[0], d.shard[1]] : [0, 1];
    if (shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1]) {
      this.closeConn(conn, 4010, 'Invalid shard.');
      return;
    }
    // A fresh IDENTIFY for the same shard supersedes any older session.
    for (const [id, old] of this.sessions) if (old.shard[0] === shard[0] && old.shard[1] === shard[1]) this.sessions.delete(id);
    const session: GatewaySession = { id: randomToken(16), shard, intents: d.intents, seq: 0, conn, replay: [] };
    this.sessions.set(session.id, session);
    conn.session = session;
    this.stats.identifies++;
    const version = Number(conn.query.v ?? 10) || 10;
    this.dispatchTo(session, 'READY', this.world.ready(session.id, this.options.gatewayUrl(), shard, version));
    const ownsGuild = World.shardOf(this.world.guildId, shard[1]) === shard[0];
    const finish = (): void => {
      if (ownsGuild && (session.intents & Intents.Guilds) !== 0 && this.sessions.has(session.id)) {
        this.dispatchTo(session, 'GUILD_CREATE', this.world.guildCreate());
      }
      this.resolveReady();
      this.changed.notify();
    };
    if (this.options.guildCreateDelayMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        finish();
      }, this.options.guildCreateDelayMs);
      this.timers.add(timer);
    } else {
      finish();
    }
  }

  private resume(conn: Conn, d: ApiObject): void {
    if (!this.authenticate(conn, d)) return;
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    const oldest = session?.replay[0]?.s;
    if (!session || seq > session.seq || (oldest !== undefined && oldest > seq + 1)) {
      // Unknown/expired session, or we cannot replay what it missed: not resumable.
      this.stats.invalidSessions++;
      this.sendRaw(conn, { op: 9, d: false, s: null, t: null });
      this.changed.notify();
      return;
    }
    if (session.conn && session.conn !== conn) session.conn.session = null;
    session.conn = conn;
    conn.session = session;
    for (const event of session.replay) {
      if (event.s > seq) this.sendRaw(conn, JSON.parse(event.text) as ApiObject, event.text);
    }
    this.stats.resumes++;
    this.dispatchTo(session, 'RESUMED', { _trace: ['["fake-discord",{}]'] });
    this.changed.notify();
  }

  private guildMembersChunk(session: GatewaySession, d: ApiObject): void {
    if (d.guild_id !== this.world.guildId) return;
    const ids = Array.isArray(d.user_ids) ? d.user_ids.map(String) : typeof d.user_ids === 'string' ? [d.user_ids] : undefined;
    const users = ids ? ids.map((id) => this.world.users.get(id)).filter((u): u is ApiObject => u !== undefined) : [...this.world.users.values()];
    const members = users.map((u) => this.world.member(u, u.id === this.world.bot.id ? [this.world.botRoleId] : []));
    const notFound = ids ? ids.filter((id) => !this.world.users.has(id)) : [];
    this.dispatchTo(session, 'GUILD_MEMBERS_CHUNK', {
      guild_id: this.world.guildId,
      members,
      chunk_index: 0,
      chunk_count: 1,
      ...(notFound.length ? { not_found: notFound } : {}),
      ...(d.nonce !== undefined ? { nonce: d.nonce } : {}),
    });
  }

  /** Send (or queue for replay) a dispatch on one session. */
  private dispatchTo(session: GatewaySession, t: string, d: unknown): void {
    session.seq++;
    const payload = { op: 0, t, s: session.seq, d };
    const text = JSON.stringify(payload);
    session.replay.push({ s: session.seq, text });
    const max = this.options.replayBufferSize;
    if (session.replay.length > max + Math.max(16, max >> 2)) session.replay.splice(0, session.replay.length - max);
    this.stats.dispatched++;
    if (session.conn) this.sendRaw(session.conn, payload, text);
  }

  /** Sessions that should receive an event for `guildId` (null = DM → shard 0). */
  private sessionsFor(guildId: string | null): GatewaySession[] {
    const result: GatewaySession[] = [];
    for (const session of this.sessions.values()) {
      if (World.shardOf(guildId, session.shard[1]) === session.shard[0]) result.push(session);
    }
    return result;
  }

  /**
   * Dispatch an event to the session(s) owning `guildId`'s shard; if a session is momentarily
   * disconnected the event is queued and replayed on RESUME. `intent` filters sessions lacking it.
   * Throws if no session exists at all (the client never identified, or it was invalidated).
   */
  dispatch(t: string, d: unknown, guildId: string | null, intent?: number, transform?: (session: GatewaySession, d: unknown) => unknown): number {
    const sessions = this.sessionsFor(guildId);
    if (sessions.length === 0) {
      throw new Error(`fake-discord: no gateway session to dispatch ${t} to (has the client identified?)`);
    }
    let delivered = 0;
    for (const session of sessions) {
      if (intent !== undefined && (session.intents & intent) === 0) {
        this.stats.filteredByIntents++;
        continue;
      }
      this.dispatchTo(session, t, transform ? transform(session, d) : d);
      delivered++;
    }
    return delivered;
  }

  /** Close every open gateway connection with `code` (1006 = abrupt terminate). Returns how many. */
  dropConnections(code: number, opts: { invalidateSessions?: boolean; reason?: string } = {}): number {
    if (opts.invalidateSessions) this.sessions.clear();
    let n = 0;
    for (const conn of this.conns) {
      if (conn.ws.readyState === WebSocket.OPEN || conn.ws.readyState === WebSocket.CONNECTING) {
        this.closeConn(conn, code, opts.reason ?? 'fake-discord: dropped');
        n++;
      }
    }
    return n;
  }

  /** Send op 7 RECONNECT on every open connection (discord.js reconnects and resumes). */
  requestReconnect(): void {
    for (const conn of this.conns) this.sendRaw(conn, { op: 7, d: null, s: null, t: null });
  }

  /** Send op 9 INVALID_SESSION on every authenticated connection. */
  invalidateSessions(resumable: boolean): void {
    for (const conn of this.conns) {
      if (!conn.session) continue;
      // Either way the connection is no longer authenticated; a resumable session stays known.
      if (!resumable) this.sessions.delete(conn.session.id);
      if (conn.session.conn === conn) conn.session.conn = null;
      conn.session = null;
      this.stats.invalidSessions++;
      this.sendRaw(conn, { op: 9, d: resumable, s: null, t: null });
    }
  }

  close(error: Error): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const conn of this.conns) conn.ws.terminate();
    this.conns.clear();
    this.sessions.clear();
    this.wss.close();
    this.rejectReady(error);
    this.changed.close(error);
    this.log.close(error);
  }
}
