import { HTTPFetchError } from '@line/bot-sdk';
import type { Config } from '../../config/config.ts';
import type { Clock } from '../../core/clock.ts';
import type { TenantContext } from '../../core/context.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import { AppError, isUniqueViolation } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { assertPropertiesExist } from '../tenants/index.ts';
import * as repo from './channels.repository.ts';
import type { ChannelRow } from './channels.repository.ts';
import type { LineApi } from './line-api.ts';

export type ChannelInput = {
  name: string;
  propertyId?: string | null | undefined;
  channelId: string;
  channelSecret: string;
  accessToken: string;
  loginChannelId?: string | null | undefined;
  liffId?: string | null | undefined;
  welcomeMessage?: string | undefined;
};

/** A connected channel with its secrets decrypted, for the webhook and the workers only. */
export type ChannelCredentials = ChannelRow & { channelSecret: string; accessToken: string };

export function createChannelsService(deps: { keyring: Keyring; clock: Clock; config: Config; lineApi: LineApi }) {
  const { keyring, clock } = deps;

  function webhookUrl(channel: Pick<ChannelRow, 'tenantId' | 'id'>): string {
    return `${deps.config.publicUrl}/api/line/webhook/${channel.tenantId}/${channel.id}`;
  }

  function toDto(channel: ChannelRow) {
    const token = keyring.decrypt(channel.accessTokenEncrypted);
    return {
      id: channel.id,
      name: channel.name,
      propertyId: channel.propertyId,
      channelId: channel.channelId,
      accessTokenHint: `…${token.slice(-4)}`,
      loginChannelId: channel.loginChannelId,
      liffId: channel.liffId,
      bot: { userId: channel.botUserId, basicId: channel.botBasicId, displayName: channel.botDisplayName, pictureUrl: channel.botPictureUrl },
      status: channel.status,
      verifiedAt: channel.verifiedAt,
      lastError: channel.lastError,
      welcomeMessage: channel.welcomeMessage,
      webhookUrl: webhookUrl(channel),
      createdAt: channel.createdAt,
    };
  }

  async function requireChannel(ctx: TenantContext, id: string): Promise<ChannelRow> {
    const channel = await repo.findChannel(ctx.db, ctx.tenantId, id);
    if (!channel) throw new AppError('line.channel_not_found');
    return channel;
  }

  async function withUniqueChecks<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error, 'line_channels_channel_key')) throw new AppError('line.channel_taken', { field: 'channelId' });
      if (isUniqueViolation(error, 'line_channels_property_key')) throw new AppError('line.property_has_channel', { field: 'propertyId' });
      throw error;
    }
  }

  async function listChannels(ctx: TenantContext) {
    return (await repo.findChannels(ctx.db, ctx.tenantId)).map(toDto);
  }

  async function createChannel(ctx: TenantContext, input: ChannelInput) {
    if (input.propertyId) await assertPropertiesExist(ctx, [input.propertyId]);
    const channel = await withUniqueChecks(() =>
      repo.insertChannel(ctx.db, {
        tenantId: ctx.tenantId,
        id: newId(),
        name: input.name,
        propertyId: input.propertyId ?? null,
        channelId: input.channelId,
        channelSecretEncrypted: keyring.encrypt(input.channelSecret),
        accessTokenEncrypted: keyring.encrypt(input.accessToken),
        loginChannelId: input.loginChannelId ?? null,
        liffId: input.liffId ?? null,
        welcomeMessage: input.welcomeMessage ?? '',
      }),
    );
    await recordAudit(ctx, { action: 'line.channel_connected', targetType: 'line_channel', targetId: channel.id, details: { name: channel.name, channelId: channel.channelId } });
    return toDto(channel);
  }

  async function updateChannel(ctx: TenantContext, id: string, input: Partial<ChannelInput>) {
    await requireChannel(ctx, id);
    if (input.propertyId) await assertPropertiesExist(ctx, [input.propertyId]);
    const { channelSecret, accessToken, ...rest } = input;
    const secretsChanged = channelSecret !== undefined || accessToken !== undefined;
    const channel = await withUniqueChecks(() =>
      repo.updateChannel(ctx.db, ctx.tenantId, id, {
        ...rest,
        ...(channelSecret !== undefined ? { channelSecretEncrypted: keyring.encrypt(channelSecret) } : {}),
        ...(accessToken !== undefined ? { accessTokenEncrypted: keyring.encrypt(accessToken) } : {}),
        ...(secretsChanged || input.channelId !== undefined ? { status: 'unverified' as const } : {}),
      }),
    );
    // Secrets never reach the audit log: only which fields changed.
    await recordAudit(ctx, { action: 'line.channel_updated', targetType: 'line_channel', targetId: id, details: { fields: Object.keys(input) } });
    return toDto(channel!);
  }

  /** Asks LINE for the bot's info with the stored token: proves the credentials and learns the bot's user id. */
  async function verifyChannel(ctx: TenantContext, id: string) {
    const channel = await requireChannel(ctx, id);
    const client = deps.lineApi.messaging(keyring.decrypt(channel.accessTokenEncrypted));
    let patch: Partial<ChannelRow>;
    try {
      const info = await client.getBotInfo();
      patch = { status: 'verified', verifiedAt: clock.now(), lastError: null, botUserId: info.userId, botBasicId: info.basicId, botDisplayName: info.displayName, botPictureUrl: info.pictureUrl ?? null };
    } catch (error) {
      patch = { status: 'failed', lastError: describeLineError(error) };
    }
    const updated = await repo.updateChannel(ctx.db, ctx.tenantId, id, patch);
    await recordAudit(ctx, { action: 'line.channel_verified', targetType: 'line_channel', targetId: id, details: { status: patch.status, error: patch.lastError ?? null } });
    return toDto(updated!);
  }

  async function deleteChannel(ctx: TenantContext, id: string): Promise<void> {
    const channel = await requireChannel(ctx, id);
    await repo.deleteChannel(ctx.db, ctx.tenantId, id);
    await recordAudit(ctx, { action: 'line.channel_disconnected', targetType: 'line_channel', targetId: id, details: { name: channel.name } });
  }

  async function credentials(ctx: TenantContext, id: string): Promise<ChannelCredentials | undefined> {
    const channel = await repo.findChannel(ctx.db, ctx.tenantId, id);
    if (!channel) return undefined;
    return { ...channel, channelSecret: keyring.decrypt(channel.channelSecretEncrypted), accessToken: keyring.decrypt(channel.accessTokenEncrypted) };
  }

  return { listChannels, createChannel, updateChannel, verifyChannel, deleteChannel, credentials, requireChannel, webhookUrl };
}

export type ChannelsService = ReturnType<typeof createChannelsService>;

/** LINE's own words, kept short: shown to staff next to the channel. */
export function describeLineError(error: unknown): string {
  if (error instanceof HTTPFetchError) {
    let message = error.body;
    try {
      message = (JSON.parse(error.body) as { message?: string }).message ?? error.body;
    } catch {
      // LINE answered with something that is not JSON; keep the raw text.
    }
    return `${error.status} ${message}`.slice(0, 300);
  }
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}

/** 稽核紀錄 names a LINE channel target by its name (「LINE 官方帳號 台北館 LINE」), not the end of its id. */
export function labelChannelsForAudit(ctx: TenantContext, ids: readonly string[]): Promise<Map<string, string>> {
  return repo.findChannelNames(ctx.db, ctx.tenantId, ids);
}
