// The fake's "world": the bot user, one guild with channels and roles, users, stored messages,
// dispatched interactions and registered commands, plus builders for the raw API objects
// discord.js v14 needs (with the fields it dereferences without checking).
import { BoundedMap, isRecord, randomToken, snowflake } from './util.js';

/** A raw Discord API object. Deliberately loose: tests poke at arbitrary fields. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiObject = Record<string, any>;

/** Error answer in Discord's JSON shape. */
export interface ApiError {
  status: number;
  body: ApiObject;
}

export const InteractionType = { Ping: 1, ApplicationCommand: 2, MessageComponent: 3, Autocomplete: 4, ModalSubmit: 5 } as const;
export const CallbackType = {
  Pong: 1,
  ChannelMessageWithSource: 4,
  DeferredChannelMessageWithSource: 5,
  DeferredUpdateMessage: 6,
  UpdateMessage: 7,
  ApplicationCommandAutocompleteResult: 8,
  Modal: 9,
  PremiumRequired: 10,
  LaunchActivity: 12,
} as const;

const MessageFlags = { Ephemeral: 1 << 6, Loading: 1 << 7 } as const;

const P = (bit: number): bigint => 1n << BigInt(bit);
/** Roughly Discord's default @everyone permissions (no MENTION_EVERYONE, no admin). */
export const EVERYONE_PERMISSIONS = (
  P(0) | P(6) | P(10) | P(11) | P(14) | P(15) | P(16) | P(18) | P(20) | P(21) | P(26) | P(31) | P(35) | P(38)
).toString();
/** The bot's managed role adds MANAGE_MESSAGES and MENTION_EVERYONE. */
export const BOT_ROLE_PERMISSIONS = (BigInt(EVERYONE_PERMISSIONS) | P(13) | P(17)).toString();

export interface ChannelSpec {
  id?: string;
  name: string;
  /** Channel type; 0 = guild text (default). */
  type?: number;
}

export interface WorldOptions {
  applicationId?: string;
  botUsername?: string;
  guildId?: string;
  guildName?: string;
  channelId?: string;
  channelName?: string;
  extraChannels?: ChannelSpec[];
  /** Default human user that sends messages / invokes commands. */
  userId?: string;
  username?: string;
  /** How many messages / interactions to remember (oldest forgotten). Default 10 000. */
  maxStored?: number;
}

export interface InteractionState {
  id: string;
  token: string;
  type: number;
  applicationId: string;
  channelId: string;
  guildId: string | null;
  user: ApiObject;
  name: string | undefined;
  createdAt: number;
  /** Callback type used to acknowledge, once acknowledged. */
  responseType: number | undefined;
  acknowledgedAt: number | undefined;
  ephemeral: boolean;
  /** Message that `@original` refers to, once there is one. */
  originalMessageId: string | undefined;
  /** For component interactions: the message carrying the component. */
  componentMessageId: string | undefined;
}

export interface InteractionInput {
  /** Interaction type: 'command' (2, default), 'component' (3), 'autocomplete' (4), 'modal' (5), or the number. */
  type?: 'command' | 'component' | 'autocomplete' | 'modal' | 2 | 3 | 4 | 5;
  /** Command name (types 2 and 4). Default 'ping'. */
  name?: string;
  /** `data.options` for commands / autocomplete (mark the focused one with `focused: true`). */
  options?: ApiObject[];
  /** Application command type: 1 chat input (default), 2 user, 3 message. */
  commandType?: number;
  commandId?: string;
  /** Component / modal custom id. Default 'button'. */
  customId?: string;
  /** Component type: 2 button (default), 3 string select, ... */
  componentType?: number;
  /** Select menu values. */
  values?: string[];
  /** Modal submit components. */
  components?: ApiObject[];
  /** Component interactions: the message the component is on (id of a stored message, or a partial object). */
  message?: string | ApiObject;
  /** Invoking user (merged over the default human user). */
  user?: ApiObject;
  /** Merged over the generated member. */
  member?: ApiObject;
  /** Role ids of the invoking member. */
  roles?: string[];
  /** `null` for a DM interaction. Default: the fake's guild. */
  guildId?: string | null;
  channelId?: string;
  locale?: string;
  guildLocale?: string;
  appPermissions?: string;
  memberPermissions?: string;
  id?: string;
  token?: string;
  /** Merged over the generated `data`. */
  data?: ApiObject;
  /** Merged over the whole generated payload, last. */
  extra?: ApiObject;
}

export interface MessageInput {
  content?: string;
  /** Merged over the default human user. */
  author?: ApiObject;
  /** Merged over the generated member; `null` to omit `member`. */
  member?: ApiObject | null;
  roles?: string[];
  channelId?: string;
  /** `null` for a DM. */
  guildId?: string | null;
  /** Extra mentioned users (ids or user objects); `<@id>` in content is picked up automatically. */
  mentions?: Array<string | ApiObject>;
  mentionRoles?: string[];
  /** Reply to a message: the id of a stored message (e.g. one the bot sent) or a message object. */
  replyTo?: string | ApiObject;
  /** Whether the reply pings the replied-to author (adds them to `mentions`). Default true. */
  mentionRepliedUser?: boolean;
  attachments?: ApiObject[];
  embeds?: ApiObject[];
  id?: string;
  /** Merged over the whole generated payload, last. */
  extra?: ApiObject;
}

export interface RecordedFile {
  field: string;
  filename: string | undefined;
  contentType: string | undefined;
  size: number;
  /** Bytes, kept only for files up to 1 MiB. */
  data: Buffer | undefined;
}

function iso(ms: number = Date.now()): string {
  return new Date(ms).toISOString();
}

export function userObject(id: string, username: string, extra: ApiObject = {}): ApiObject {
  return {
    id,
    username,
    discriminator: '0',
    global_name: null,
    avatar: null,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
    banner: null,
    accent_color: null,
    public_flags: 0,
    flags: 0,
    ...extra,
  };
}

export function formError(path: string[], code: string, message: string): ApiError {
  let errors: ApiObject = { _errors: [{ code, message }] };
  for (let i = path.length - 1; i >= 0; i--) errors = { [path[i]!]: errors };
  return { status: 400, body: { code: 50035, message: 'Invalid Form Body', errors } };
}

export function apiError(status: number, code: number, message: string): ApiError {
  return { status, body: { message, code } };
}

export class World {
  readonly applicationId: string;
  readonly bot: ApiObject;
  readonly user: ApiObject;
  readonly guildId: string;
  readonly guildName: string;
  readonly channelId: string;
  readonly botRoleId: string;
  readonly createdAt = Date.now();

  readonly users = new Map<string, ApiObject>();
  readonly channels = new Map<string, ApiObject>();
  readonly messages: BoundedMap<string, ApiObject>;
  readonly interactions: BoundedMap<string, InteractionState>;
  readonly interactionsByToken: BoundedMap<string, InteractionState>;
  globalCommands: ApiObject[] = [];
  readonly guildCommands = new Map<string, ApiObject[]>();
  private readonly commandIds = new Map<string, string>();

  constructor(options: WorldOptions = {}) {
    const maxStored = options.maxStored ?? 10_000;
    this.messages = new BoundedMap(maxStored);
    this.interactions = new BoundedMap(maxStored);
    this.interactionsByToken = new BoundedMap(maxStored);
    this.applicationId = options.applicationId ?? snowflake();
    // A bot user's id is its application's id.
    this.bot = userObject(this.applicationId, options.botUsername ?? 'FakeBot', { bot: true, verified: true, mfa_enabled: false, email: null });
    this.user = userObject(options.userId ?? snowflake(), options.username ?? 'tester', { global_name: 'Tester' });
    this.users.set(this.bot.id, this.bot);
    this.users.set(this.user.id, this.user);
    this.guildId = options.guildId ?? snowflake();
    this.guildName = options.guildName ?? 'Fake Guild';
    this.botRoleId = snowflake();
    this.channelId = options.channelId ?? snowflake();
    this.addChannel({ id: this.channelId, name: options.channelName ?? 'general', type: 0 });
    for (const spec of options.extraChannels ?? []) this.addChannel(spec);
  }

  addChannel(spec: ChannelSpec): ApiObject {
    const id = spec.id ?? snowflake();
    const channel: ApiObject = {
      id,
      type: spec.type ?? 0,
      guild_id: this.guildId,
      name: spec.name,
      position: this.channels.size,
      permission_overwrites: [],
      topic: null,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      parent_id: null,
      flags: 0,
    };
    this.channels.set(id, channel);
    return channel;
  }

  /** A public thread (type 11) in `parentId`, owned by `ownerId`. */
  addThread(spec: { id: string; parentId: string; name: string; ownerId: string; autoArchive: number }): ApiObject {
    const parent = this.channels.get(spec.parentId);
    const thread: ApiObject = {
      id: spec.id,
      type: 11,
      guild_id: parent?.guild_id ?? this.guildId,
      parent_id: spec.parentId,
      owner_id: spec.ownerId,
      name: spec.name,
      last_message_id: null,
      rate_limit_per_user: 0,
      message_count: 0,
      member_count: 1,
      thread_metadata: { archived: false, auto_archive_duration: spec.autoArchive, archive_timestamp: new Date().toISOString(), locked: false },
      flags: 0,
    };
    this.channels.set(spec.id, thread);
    return thread;
  }

  /** A DM channel with `recipient` (created on demand, like POST /users/@me/channels). */
  dmChannelWith(recipient: ApiObject): ApiObject {
    for (const channel of this.channels.values()) {
      if (channel.type === 1 && channel.recipients?.[0]?.id === recipient.id) return channel;
    }
    const channel: ApiObject = { id: snowflake(), type: 1, last_message_id: null, flags: 0, recipients: [recipient] };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** Merge `partial` over the default human user and remember the result. */
  resolveUser(partial: ApiObject | undefined): ApiObject {
    if (!partial) return this.user;
    const id = typeof partial.id === 'string' ? partial.id : this.user.id;
    const base = this.users.get(id) ?? userObject(id, `user${id.slice(-4)}`);
    const user = { ...base, ...partial, id };
    this.users.set(id, user);
    return user;
  }

  lookupUser(id: string): ApiObject {
    return this.users.get(id) ?? userObject(id, `user${id.slice(-4)}`);
  }

  application(): ApiObject {
    return {
      id: this.applicationId,
      name: this.bot.username,
      icon: null,
      description: 'Fake application',
      summary: '',
      type: null,
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      hook: true,
      is_monetized: false,
      is_verified: false,
      is_discoverable: false,
      storefront_available: false,
      integration_types_config: { '0': {} },
      approximate_guild_count: 1,
      approximate_user_install_count: 0,
      interactions_endpoint_url: null,
      role_connections_verification_url: null,
      tags: [],
      redirect_uris: [],
      owner: this.user,
      team: null,
      bot: this.bot,
    };
  }

  roles(): ApiObject[] {
    const role = (id: string, name: string, position: number, permissions: string, extra: ApiObject = {}): ApiObject => ({
      id,
      name,
      description: null,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position,
      permissions,
      managed: false,
      mentionable: false,
      flags: 0,
      ...extra,
    });
    return [
      role(this.guildId, '@everyone', 0, EVERYONE_PERMISSIONS),
      role(this.botRoleId, this.bot.username, 1, BOT_ROLE_PERMISSIONS, { managed: true, tags: { bot_id: this.bot.id } }),
    ];
  }

  member(user: ApiObject, roles: string[] = [], extra: ApiObject = {}): ApiObject {
    return {
      user,
      nick: null,
      avatar: null,
      banner: null,
      roles,
      joined_at: iso(this.createdAt),
      premium_since: null,
      deaf: false,
      mute: false,
      pending: false,
      flags: 0,
      communication_disabled_until: null,
      unusual_dm_activity_until: null,
      ...extra,
    };
  }

  guildObject(): ApiObject {
    return {
      id: this.guildId,
      name: this.guildName,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.user.id,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: this.roles(),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: this.channelId,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      max_presences: null,
      max_members: 500_000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: 'en-US',
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: 0,
      nsfw: false,
      premium_progress_bar_enabled: false,
      incidents_data: null,
      hub_type: null,
    };
  }

  guildChannels(): ApiObject[] {
    return [...this.channels.values()].filter((c) => c.guild_id === this.guildId);
  }

  /** GUILD_CREATE payload: the guild plus gateway-only fields (channels, members, ...). */
  guildCreate(): ApiObject {
    return {
      ...this.guildObject(),
      joined_at: iso(this.createdAt),
      large: false,
      unavailable: false,
      lazy: true,
      member_count: 2,
      voice_states: [],
      // Discord always includes the bot's own member, so guild.members.me works.
      members: [this.member(this.bot, [this.botRoleId])],
      channels: this.guildChannels().map(({ guild_id: _guildId, ...rest }) => rest),
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
      application_command_counts: {},
    };
  }

  /** Which shard a guild belongs to: (guild_id >> 22) % num_shards. */
  static shardOf(guildId: string | null, shardCount: number): number {
    if (!guildId || shardCount <= 1) return 0;
    return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
  }

  ready(sessionId: string, resumeUrl: string, shard: [number, number], version: number): ApiObject {
    const ownsGuild = World.shardOf(this.guildId, shard[1]) === shard[0];
    return {
      v: version,
      user_settings: {},
      user: this.bot,
      guilds: ownsGuild ? [{ id: this.guildId, unavailable: true }] : [],
      session_id: sessionId,
      session_type: 'normal',
      resume_gateway_url: resumeUrl,
      shard,
      application: { id: this.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      auth: {},
    };
  }

  commandIdFor(name: string): string {
    const registered =
      this.globalCommands.find((c) => c.name === name) ?? this.guildCommands.get(this.guildId)?.find((c) => c.name === name);
    if (registered) return registered.id as string;
    let id = this.commandIds.get(name);
    if (!id) {
      id = snowflake();
      this.commandIds.set(name, id);
    }
    return id;
  }

  /** Store registered commands, giving them ids (kept stable by name). */
  registerCommands(commands: unknown, guildId: string | null): ApiObject[] | ApiError {
    if (!Array.isArray(commands)) return formError([], 'BASE_TYPE_ARRAY', 'Expected an array of commands.');
    const result: ApiObject[] = [];
    for (const [index, raw] of commands.entries()) {
      if (!isRecord(raw) || typeof raw.name !== 'string' || raw.name.length === 0 || raw.name.length > 32) {
        return formError([String(index), 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
      }
      const type = typeof raw.type === 'number' ? raw.type : 1;
      if (type === 1 && (typeof raw.description !== 'string' || raw.description.length > 100)) {
        return formError([String(index), 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      }
      result.push(this.commandObject(raw, guildId));
    }
    if (guildId) this.guildCommands.set(guildId, result);
    else this.globalCommands = result;
    return result;
  }

  commandObject(raw: ApiObject, guildId: string | null): ApiObject {
    const id = this.commandIdFor(String(raw.name));
    return {
      id,
      application_id: this.applicationId,
      version: snowflake(),
      default_member_permissions: null,
      type: 1,
      nsfw: false,
      description: '',
      dm_permission: true,
      contexts: null,
      integration_types: [0],
      ...raw,
      ...(guildId ? { guild_id: guildId } : {}),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Interactions

  buildInteraction(input: InteractionInput): { payload: ApiObject; state: InteractionState } {
    const typeMap = { command: 2, component: 3, autocomplete: 4, modal: 5 } as const;
    const type: number = typeof input.type === 'string' ? typeMap[input.type] : (input.type ?? 2);
    const guildId = input.guildId === undefined ? this.guildId : input.guildId;
    const user = this.resolveUser(input.user);
    const channel = guildId
      ? (this.channels.get(input.channelId ?? this.channelId) ?? this.addChannel({ id: input.channelId, name: 'channel' }))
      : input.channelId
        ? (this.channels.get(input.channelId) ?? this.dmChannelWith(user))
        : this.dmChannelWith(user);
    const id = input.id ?? snowflake();
    // Real tokens are opaque base64url; this one decodes to `interaction:<id>:<random>`.
    const token = input.token ?? Buffer.from(`interaction:${id}:${randomToken(36)}`).toString('base64url');
    const name = input.name ?? (type === 2 || type === 4 ? 'ping' : undefined);

    let data: ApiObject;
    let message: ApiObject | undefined;
    if (type === 2 || type === 4) {
      data = {
        id: input.commandId ?? this.commandIdFor(name ?? 'ping'),
        name,
        type: input.commandType ?? 1,
        ...(input.options ? { options: input.options } : {}),
        ...(guildId && this.guildCommands.get(guildId)?.some((c) => c.name === name) ? { guild_id: guildId } : {}),
      };
    } else if (type === 3) {
      data = {
        custom_id: input.customId ?? 'button',
        component_type: input.componentType ?? 2,
        ...(input.values ? { values: input.values } : {}),
      };
      message = this.componentMessage(input.message, channel.id, guildId);
    } else if (type === 5) {
      data = { custom_id: input.customId ?? 'modal', components: input.components ?? [] };
      if (input.message !== undefined) message = this.componentMessage(input.message, channel.id, guildId);
    } else {
      data = {};
    }
    data = { ...data, ...input.data };

    const permissions = input.appPermissions ?? BOT_ROLE_PERMISSIONS;
    const payload: ApiObject = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      data,
      channel_id: channel.id,
      channel,
      app_permissions: permissions,
      locale: input.locale ?? 'en-US',
      entitlements: [],
      authorizing_integration_owners: guildId ? { '0': guildId } : { '0': '0' },
      context: guildId ? 0 : 1,
      attachment_size_limit: 10 * 1024 * 1024,
    };
    if (guildId) {
      payload.guild_id = guildId;
      payload.guild = { id: guildId, locale: input.guildLocale ?? 'en-US', features: [] };
      payload.guild_locale = input.guildLocale ?? 'en-US';
      payload.member = {
        ...this.member(user, input.roles ?? []),
        permissions: input.memberPermissions ?? EVERYONE_PERMISSIONS,
        ...input.member,
      };
    } else {
      payload.user = user;
    }
    if (message) payload.message = message;
    Object.assign(payload, input.extra);

    const state: InteractionState = {
      id: String(payload.id),
      token: String(payload.token),
      type,
      applicationId: this.applicationId,
      channelId: channel.id,
      guildId,
      user,
      name,
      createdAt: Date.now(),
      responseType: undefined,
      acknowledgedAt: undefined,
      ephemeral: false,
      originalMessageId: undefined,
      componentMessageId: message?.id,
    };
    this.interactions.set(state.id, state);
    this.interactionsByToken.set(state.token, state);
    return { payload, state };
  }

  private componentMessage(ref: string | ApiObject | undefined, channelId: string, guildId: string | null): ApiObject {
    if (typeof ref === 'string') {
      const stored = this.messages.get(ref);
      if (stored) return stored;
    }
    const partial = isRecord(ref) ? ref : {};
    const message = this.messageObject({
      id: typeof ref === 'string' ? ref : undefined,
      channelId,
      guildId,
      author: this.bot,
      content: '',
      extra: {
        components: [{ type: 1, id: 1, components: [{ type: 2, id: 2, style: 1, label: 'Button', custom_id: 'button' }] }],
        ...partial,
      },
    });
    this.messages.set(message.id, message);
    return message;
  }

  // ---------------------------------------------------------------------------------------------
  // Messages

  messageObject(args: {
    id?: string | undefined;
    channelId: string;
    guildId: string | null;
    author: ApiObject;
    content: string;
    extra?: ApiObject;
  }): ApiObject {
    const id = args.id ?? snowflake();
    return {
      id,
      type: 0,
      channel_id: args.channelId,
      ...(args.guildId ? { guild_id: args.guildId } : {}),
      author: args.author,
      content: args.content,
      timestamp: iso(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      flags: 0,
      ...args.extra,
    };
  }

  /** MESSAGE_CREATE payload for a message a (human) user sends. Stored so the bot can reply to it. */
  buildIncomingMessage(input: MessageInput): ApiObject {
    const guildId = input.guildId === undefined ? this.guildId : input.guildId;
    const author = this.resolveUser(input.author);
    const channelId = input.channelId ?? (guildId ? this.channelId : this.dmChannelWith(author).id);
    const content = input.content ?? '';
    const mentionIds = new Set<string>();
    for (const match of content.matchAll(/<@!?(\d{15,21})>/g)) mentionIds.add(match[1]!);
    const mentions: ApiObject[] = [];
    for (const m of input.mentions ?? []) {
      if (typeof m === 'string') mentionIds.add(m);
      else mentions.push(this.resolveUser(m));
    }
    for (const id of mentionIds) if (!mentions.some((u) => u.id === id)) mentions.push(this.lookupUser(id));

    let reference: ApiObject | undefined;
    let referenced: ApiObject | undefined;
    if (input.replyTo !== undefined) {
      referenced = typeof input.replyTo === 'string' ? this.messages.get(input.replyTo) : input.replyTo;
      const refId = typeof input.replyTo === 'string' ? input.replyTo : String(input.replyTo.id);
      reference = { type: 0, message_id: refId, channel_id: referenced?.channel_id ?? channelId, ...(guildId ? { guild_id: guildId } : {}) };
      const repliedAuthor = referenced?.author as ApiObject | undefined;
      if (repliedAuthor && input.mentionRepliedUser !== false && !mentions.some((u) => u.id === repliedAuthor.id)) {
        mentions.push(repliedAuthor);
      }
    }

    const message = this.messageObject({
      id: input.id,
      channelId,
      guildId,
      author,
      content,
      extra: {
        type: reference ? 19 : 0,
        mention_everyone: /@(everyone|here)\b/.test(content),
        mentions,
        mention_roles: input.mentionRoles ?? [...content.matchAll(/<@&(\d{15,21})>/g)].map((m) => m[1]!),
        attachments: input.attachments ?? [],
        embeds: input.embeds ?? [],
        nonce: snowflake(),
        ...(guildId && input.member !== null
          ? { member: (({ user: _user, ...rest }) => rest)({ ...this.member(author, input.roles ?? []), ...input.member }) }
          : {}),
        ...(reference ? { message_reference: reference, referenced_message: referenced ?? null } : {}),
        ...input.extra,
      },
    });
    this.messages.set(message.id, message);
    const channel = this.channels.get(channelId);
    if (channel) channel.last_message_id = message.id;
    return message;
  }

  /** Mentions Discord would resolve for `content` given `allowed_mentions`. */
  resolveMentions(
    content: string,
    allowed: unknown,
    repliedAuthor: ApiObject | undefined,
  ): { mention_everyone: boolean; mentions: ApiObject[]; mention_roles: string[] } {
    const spec = isRecord(allowed) ? allowed : undefined;
    const parse = spec && Array.isArray(spec.parse) ? (spec.parse as unknown[]) : spec ? [] : ['users', 'roles', 'everyone'];
    const allowedUsers = spec && Array.isArray(spec.users) ? (spec.users as unknown[]) : [];
    const allowedRoles = spec && Array.isArray(spec.roles) ? (spec.roles as unknown[]) : [];
    const mentions: ApiObject[] = [];
    for (const match of content.matchAll(/<@!?(\d{15,21})>/g)) {
      const id = match[1]!;
      if ((parse.includes('users') || allowedUsers.includes(id)) && !mentions.some((u) => u.id === id)) {
        mentions.push(this.lookupUser(id));
      }
    }
    const mention_roles: string[] = [];
    for (const match of content.matchAll(/<@&(\d{15,21})>/g)) {
      const id = match[1]!;
      if ((parse.includes('roles') || allowedRoles.includes(id)) && !mention_roles.includes(id)) mention_roles.push(id);
    }
    const pingReplied = spec ? spec.replied_user === true : true;
    if (repliedAuthor && pingReplied && !mentions.some((u) => u.id === repliedAuthor.id)) mentions.push(repliedAuthor);
    return {
      mention_everyone: parse.includes('everyone') && /@(everyone|here)\b/.test(content),
      mentions,
      mention_roles,
    };
  }

  private attachmentsFrom(body: ApiObject, files: RecordedFile[], existing: ApiObject[]): ApiObject[] {
    const described = Array.isArray(body.attachments) ? (body.attachments as ApiObject[]) : undefined;
    const kept = described ? existing.filter((a) => described.some((d) => String(d.id) === String(a.id))) : existing;
    const added = files.map((file, index) => {
      const id = snowflake();
      const meta = described?.find((d) => String(d.id) === String(index));
      return {
        id,
        filename: file.filename ?? `file${index}`,
        size: file.size,
        url: `https://cdn.discordapp.com/attachments/0/${id}/${file.filename ?? 'file'}`,
        proxy_url: `https://media.discordapp.net/attachments/0/${id}/${file.filename ?? 'file'}`,
        ...(file.contentType ? { content_type: file.contentType } : {}),
        ...(meta?.description ? { description: meta.description } : {}),
      };
    });
    return [...kept, ...added];
  }

  /** A message the bot creates (channel message, interaction response or follow-up). */
  createMessage(args: {
    channelId: string;
    guildId: string | null;
    body: ApiObject;
    files: RecordedFile[];
    webhook?: InteractionState;
    flags?: number;
  }): ApiObject {
    const { body } = args;
    const content = typeof body.content === 'string' ? body.content : '';
    let reference: ApiObject | undefined;
    let referenced: ApiObject | undefined;
    if (isRecord(body.message_reference) && body.message_reference.message_id) {
      const refId = String(body.message_reference.message_id);
      referenced = this.messages.get(refId);
      reference = {
        type: body.message_reference.type ?? 0,
        message_id: refId,
        channel_id: String(body.message_reference.channel_id ?? referenced?.channel_id ?? args.channelId),
        ...(args.guildId ? { guild_id: args.guildId } : {}),
      };
    }
    const flags = (typeof body.flags === 'number' ? body.flags : 0) | (args.flags ?? 0);
    const interaction = args.webhook;
    const message = this.messageObject({
      channelId: args.channelId,
      guildId: args.guildId,
      author: this.bot,
      content,
      extra: {
        type: reference ? 19 : interaction?.type === 2 ? (interaction.name ? 20 : 0) : 0,
        tts: body.tts === true,
        ...this.resolveMentions(content, body.allowed_mentions, referenced?.author as ApiObject | undefined),
        embeds: Array.isArray(body.embeds) ? body.embeds.map((e: ApiObject) => ({ type: 'rich', ...e })) : [],
        components: Array.isArray(body.components) ? body.components : [],
        attachments: this.attachmentsFrom(body, args.files, []),
        flags,
        ...(body.nonce !== undefined ? { nonce: body.nonce } : {}),
        ...(body.poll ? { poll: body.poll } : {}),
        ...(reference ? { message_reference: reference, referenced_message: referenced ?? null } : {}),
        ...(interaction
          ? {
              webhook_id: this.applicationId,
              application_id: this.applicationId,
              interaction_metadata: {
                id: interaction.id,
                type: interaction.type,
                user: interaction.user,
                authorizing_integration_owners: interaction.guildId ? { '0': interaction.guildId } : { '0': '0' },
                ...(interaction.name ? { name: interaction.name, command_type: 1 } : {}),
              },
              ...(interaction.type === 2 && interaction.name
                ? { interaction: { id: interaction.id, type: interaction.type, name: interaction.name, user: interaction.user } }
                : {}),
            }
          : {}),
      },
    });
    this.messages.set(message.id, message);
    const channel = this.channels.get(args.channelId);
    if (channel) channel.last_message_id = message.id;
    return message;
  }

  /** Apply a PATCH to a stored message (returns the new object, also stored). */
  editMessage(existing: ApiObject, body: ApiObject, files: RecordedFile[]): ApiObject {
    const next: ApiObject = { ...existing, edited_timestamp: iso() };
    if ('content' in body) next.content = typeof body.content === 'string' ? body.content : '';
    if ('embeds' in body) next.embeds = Array.isArray(body.embeds) ? body.embeds.map((e: ApiObject) => ({ type: 'rich', ...e })) : [];
    if ('components' in body) next.components = Array.isArray(body.components) ? body.components : [];
    if ('attachments' in body || files.length > 0) next.attachments = this.attachmentsFrom(body, files, existing.attachments ?? []);
    let flags = typeof existing.flags === 'number' ? existing.flags : 0;
    if (typeof body.flags === 'number') flags = (flags & (MessageFlags.Ephemeral | MessageFlags.Loading)) | body.flags;
    next.flags = flags & ~MessageFlags.Loading;
    if ('content' in body || 'allowed_mentions' in body) {
      Object.assign(
        next,
        this.resolveMentions(String(next.content ?? ''), body.allowed_mentions, (existing.referenced_message as ApiObject | null)?.author),
      );
    }
    this.messages.set(next.id, next);
    return next;
  }

  /** Validate a message body like Discord does (lengths, emptiness). `prefix` nests error paths (e.g. ['data']). */
  validateMessageBody(body: ApiObject, opts: { create: boolean; hasFiles: boolean; prefix?: string[] }): ApiError | undefined {
    const at = (...path: string[]): string[] => [...(opts.prefix ?? []), ...path];
    if (body.content !== undefined && body.content !== null && typeof body.content !== 'string') {
      return formError(at('content'), 'BASE_TYPE_STRING', 'Must be a string.');
    }
    const content = typeof body.content === 'string' ? body.content : '';
    if (content.length > 2000) return formError(at('content'), 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
    const embeds = Array.isArray(body.embeds) ? (body.embeds as ApiObject[]) : [];
    if (embeds.length > 10) return formError(at('embeds'), 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
    let total = 0;
    for (const [i, embed] of embeds.entries()) {
      const check = (value: unknown, max: number, ...path: string[]): ApiError | undefined => {
        if (typeof value !== 'string') return undefined;
        total += value.length;
        return value.length > max
          ? formError(at('embeds', String(i), ...path), 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`)
          : undefined;
      };
      const fields = Array.isArray(embed.fields) ? (embed.fields as ApiObject[]) : [];
      if (fields.length > 25) return formError(at('embeds', String(i), 'fields'), 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      const error =
        check(embed.title, 256, 'title') ??
        check(embed.description, 4096, 'description') ??
        check(embed.footer?.text, 2048, 'footer', 'text') ??
        check(embed.author?.name, 256, 'author', 'name') ??
        fields.reduce<ApiError | undefined>(
          (err, field, j) => err ?? check(field.name, 256, 'fields', String(j), 'name') ?? check(field.value, 1024, 'fields', String(j), 'value'),
          undefined,
        );
      if (error) return error;
    }
    if (total > 6000) return formError(at('embeds'), 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
    if (opts.create) {
      const hasComponents = Array.isArray(body.components) && body.components.length > 0;
      const hasStickers = Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0;
      if (content.trim() === '' && embeds.length === 0 && !opts.hasFiles && !hasComponents && !hasStickers && !body.poll) {
        return apiError(400, 50006, 'Cannot send an empty message');
      }
    }
    return undefined;
  }
}
