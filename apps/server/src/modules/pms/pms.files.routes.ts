import fastifyMultipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZPmsConnectionParams,
  ZPmsDropFolder,
  ZPmsDryRun,
  ZPmsFileList,
  ZPmsFileUploaded,
  ZPmsGenericParams,
  ZPmsGenericUploaded,
  ZPmsMappingRequest,
  ZPmsSavedMapping,
  ZPmsSavedMappingInput,
  ZPmsSavedMappingList,
  ZPmsSavedMappingParams,
  ZPmsSavedMappingPatch,
} from '@innkeeper/contracts/api';
import { AppError } from '../../core/errors.ts';
import type { PmsFilesService } from './pms.files.service.ts';
import type { PmsGenericService } from './pms.generic.service.ts';
import { MAX_PMS_FILE_BYTES } from './pms.sync.ts';

type UploadedFile = { fileName: string; bytes: Buffer };

/** The file part as the route reads it: a plain file name (no path, no control characters) and its bytes. */
const ZUploadedFile = z.object({
  fileName: z
    .string()
    .transform((name) => [...name].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join('').split(/[\\/]/).pop()!.trim().slice(-200))
    .pipe(z.string().min(1)),
  bytes: z.instanceof(Buffer),
});

/** Read into memory before the handler opens its transaction, so a slow upload holds no database connection. */
const uploads = new WeakMap<FastifyRequest, UploadedFile>();

function uploadedFile(req: FastifyRequest): UploadedFile {
  const file = uploads.get(req);
  if (!file) throw new AppError('pms.file_missing');
  return file;
}

async function receiveFile(req: FastifyRequest): Promise<UploadedFile> {
  if (!req.isMultipart()) throw new AppError('pms.file_missing');
  const part = await req.file().catch(() => undefined);
  if (!part) throw new AppError('pms.file_missing');
  try {
    return ZUploadedFile.parse({ fileName: part.filename, bytes: await part.toBuffer() });
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('pms.file_too_large', { limit: MAX_PMS_FILE_BYTES });
    throw new AppError('pms.file_missing');
  }
}

/**
 * The PMS page's files: 德安 exports (contract §9) and any PMS's exports through a column mapping (the generic import:
 * upload, dry run, apply, discard; saved mappings). Uploads and changes need pms.manage; lists pms.view.
 */
export function pmsFileRoutes(service: PmsFilesService, generic: PmsGenericService): FastifyPluginAsyncZod {
  return async (app) => {
    // Multipart parsing for the upload routes only (an encapsulated plugin); every other route stays JSON-only.
    await app.register(async (upload) => {
      // Busboy reads header parameters as latin1 unless told: browsers send UTF-8 file names (住客資料.csv).
      const busboy = { defParamCharset: 'utf8' };
      await upload.register(fastifyMultipart, { limits: { fileSize: MAX_PMS_FILE_BYTES, files: 1, fields: 2, parts: 3 }, ...busboy });
      /** A connection's upload route: the file is read before the handler (and its transaction) starts. */
      const uploadRoute = <R extends z.ZodType>(summary: string, response: R) => ({
        schema: { tags: ['pms'], summary, consumes: ['multipart/form-data'], params: ZPmsConnectionParams, response: { 201: response } },
        config: { access: 'pms.manage' as const, authenticateBeforeBody: true },
        preHandler: async (req: FastifyRequest) => {
          uploads.set(req, await receiveFile(req));
        },
      });
      const routes = upload.withTypeProvider<ZodTypeProvider>();
      routes.post('/api/pms/connections/:connectionId/files', uploadRoute('Upload a 德安 export (GHIST_MN guests or GUEST_MN stays, CSV in UTF-8/Big5 or XLSX, at most 50 MB); a run applies it', ZPmsFileUploaded), async (req, reply) => {
        reply.code(201);
        return service.upload(req.ctx, req.params.connectionId, uploadedFile(req));
      });
      routes.post('/api/pms/connections/:connectionId/imports', uploadRoute('Upload any PMS’s CSV/XLSX export (at most 50 MB): answers its columns, masked sample rows and a suggested column mapping', ZPmsGenericUploaded), async (req, reply) => {
        reply.code(201);
        return generic.upload(req.ctx, req.params.connectionId, uploadedFile(req));
      });
    });

    app.get('/api/pms/connections/:connectionId/drop-folder', {
      schema: { tags: ['pms'], summary: 'The connection’s drop folder checked as a run would check it: ok, not created yet, or what keeps its files from being read', params: ZPmsConnectionParams, response: { 200: ZPmsDropFolder } },
      config: { access: 'pms.view' },
    }, async (req) => service.dropFolder(req.ctx, req.params.connectionId));

    app.get('/api/pms/connections/:connectionId/imports/:fileId', {
      schema: { tags: ['pms'], summary: 'A generic file waiting for its mapping, as its upload answered it (columns, masked sample rows, suggested mapping)', params: ZPmsGenericParams, response: { 200: ZPmsGenericUploaded } },
      config: { access: 'pms.manage' },
    }, async (req) => generic.show(req.ctx, req.params.connectionId, req.params.fileId));

    app.delete('/api/pms/connections/:connectionId/imports/:fileId', {
      schema: { tags: ['pms'], summary: 'Discard a generic file waiting for its mapping (never applied): it is deleted, and may be uploaded again', params: ZPmsGenericParams, response: { 204: z.null() } },
      config: { access: 'pms.manage' },
    }, async (req, reply) => {
      await generic.discard(req.ctx, req.params.connectionId, req.params.fileId);
      reply.code(204);
      return null;
    });

    app.post('/api/pms/connections/:connectionId/imports/:fileId/dry-run', {
      schema: { tags: ['pms'], summary: 'What the mapped file would create, update, link, send to review or set aside (nothing is kept)', params: ZPmsGenericParams, body: ZPmsMappingRequest, response: { 200: ZPmsDryRun } },
      config: { access: 'pms.manage' },
    }, async (req) => generic.dryRun(req.ctx, req.params.connectionId, req.params.fileId, req.body.mapping));

    app.post('/api/pms/connections/:connectionId/imports/:fileId/apply', {
      schema: { tags: ['pms'], summary: 'Apply the mapped file: a run applies it like any PMS file (run history)', params: ZPmsGenericParams, body: ZPmsMappingRequest, response: { 202: ZPmsFileUploaded } },
      config: { access: 'pms.manage' },
    }, async (req, reply) => {
      reply.code(202);
      return generic.apply(req.ctx, req.params.connectionId, req.params.fileId, req.body.mapping);
    });

    app.get('/api/pms/connections/:connectionId/mappings', {
      schema: { tags: ['pms'], summary: 'Saved column mappings of generic files', params: ZPmsConnectionParams, response: { 200: ZPmsSavedMappingList } },
      config: { access: 'pms.view' },
    }, async (req) => ({ data: await generic.listMappings(req.ctx, req.params.connectionId) }));

    app.post('/api/pms/connections/:connectionId/mappings', {
      schema: { tags: ['pms'], summary: 'Save a column mapping under a name', params: ZPmsConnectionParams, body: ZPmsSavedMappingInput, response: { 201: ZPmsSavedMapping } },
      config: { access: 'pms.manage' },
    }, async (req, reply) => {
      reply.code(201);
      return generic.createMapping(req.ctx, req.params.connectionId, req.body);
    });

    app.patch('/api/pms/connections/:connectionId/mappings/:mappingId', {
      schema: { tags: ['pms'], summary: 'Rename or change a saved column mapping', params: ZPmsSavedMappingParams, body: ZPmsSavedMappingPatch, response: { 200: ZPmsSavedMapping } },
      config: { access: 'pms.manage' },
    }, async (req) => generic.updateMapping(req.ctx, req.params.connectionId, req.params.mappingId, req.body));

    app.delete('/api/pms/connections/:connectionId/mappings/:mappingId', {
      schema: { tags: ['pms'], summary: 'Delete a saved column mapping', params: ZPmsSavedMappingParams, response: { 204: z.null() } },
      config: { access: 'pms.manage' },
    }, async (req, reply) => {
      await generic.deleteMapping(req.ctx, req.params.connectionId, req.params.mappingId);
      reply.code(204);
      return null;
    });

    app.get('/api/pms/connections/:connectionId/files', {
      schema: { tags: ['pms'], summary: 'Files dropped or uploaded, newest first: applied, duplicate (not applied) or refused with the reason', params: ZPmsConnectionParams, response: { 200: ZPmsFileList } },
      config: { access: 'pms.view' },
    }, async (req) => ({ data: await service.listFiles(req.ctx, req.params.connectionId) }));
  };
}
