import crypto from 'node:crypto';
import { LINE_LIMITS } from '@innkeeper/contracts';
import type { RequestContext } from '../../core/context.ts';
import type { Database } from '../../core/db/database.ts';
import { AppError } from '../../core/errors.ts';
import { assertCan } from '../../core/context.ts';
import { newId, type TenantId } from '../../core/ids.ts';
import { recordAudit } from '../audit/index.ts';
import * as repo from './campaigns.repository.ts';
import { readImageInfo, type ImageInfo } from './image-format.ts';

export type UploadedImage = { fileName: string; bytes: Buffer };

/**
 * Images for campaign messages. LINE fetches them itself, over HTTPS, from Innkeeper's public base URL; the path
 * carries a random 256-bit token, so an image is reachable only by whoever was sent its URL. Checked against LINE's
 * rules on upload: JPEG or PNG by content (not by name), at most 10 MB, and a preview of at most 1 MB (the original
 * itself when it is small enough; otherwise staff upload one, since the server does not re-encode images).
 */
export function createCampaignImagesService(deps: { db: Database; publicUrl: string }) {
  function check(file: UploadedImage, limit: number, tooLarge: 'campaign_image.too_large' | 'campaign_image.preview_too_large'): ImageInfo {
    if (file.bytes.length === 0) throw new AppError('campaign_image.file_missing');
    if (file.bytes.length > limit) throw new AppError(tooLarge, { limit });
    const info = readImageInfo(file.bytes);
    if (!info) throw new AppError('campaign_image.unsupported_format');
    return info;
  }

  async function upload(ctx: RequestContext, original: UploadedImage, preview: UploadedImage | undefined) {
    assertCan(ctx, 'campaigns.edit');
    const info = check(original, LINE_LIMITS.imageBytes, 'campaign_image.too_large');
    const previewInfo = preview ? check(preview, LINE_LIMITS.previewImageBytes, 'campaign_image.preview_too_large') : undefined;
    if (!preview && original.bytes.length > LINE_LIMITS.previewImageBytes) throw new AppError('campaign_image.preview_required', { limit: LINE_LIMITS.previewImageBytes });
    const id = newId();
    const token = crypto.randomBytes(32).toString('base64url');
    await repo.insertImage(ctx.db, {
      tenantId: ctx.tenantId,
      id,
      token,
      fileName: original.fileName,
      contentType: info.contentType,
      width: info.width,
      height: info.height,
      data: original.bytes,
      preview: preview && previewInfo ? { contentType: previewInfo.contentType, data: preview.bytes } : undefined,
      createdBy: ctx.accountId,
    });
    await recordAudit(ctx, { action: 'campaign.image_uploaded', targetType: 'campaign_image', targetId: id, details: { fileName: original.fileName, contentType: info.contentType, width: info.width, height: info.height, byteSize: original.bytes.length, preview: Boolean(preview) } });
    const base = `${deps.publicUrl}/media/campaign-images/${ctx.tenantId}/${token}`;
    return { id, url: `${base}/original`, previewUrl: `${base}/preview`, width: info.width, height: info.height, byteSize: original.bytes.length, contentType: info.contentType, fileName: original.fileName };
  }

  /** The public read LINE (and the admin preview) makes; an unknown tenant or token is simply not found. */
  async function serve(tenantId: TenantId, token: string, variant: 'original' | 'preview') {
    const image = await deps.db.withTenant(tenantId, (tx) => repo.findImageBytes(tx, tenantId, token, variant));
    if (!image) throw new AppError('campaign_image.not_found');
    return image;
  }

  return { upload, serve };
}

export type CampaignImagesService = ReturnType<typeof createCampaignImagesService>;
