import fastifyMultipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { ZImportList, ZImportRowsPage, ZImportRowsQuery, ZMemberImport, ZPageQuery, ZReportQuery, ZTemplateQuery, ZUploadQuery, ZUploadResponse } from '@innkeeper/contracts/api';
import { AppError } from '../../core/errors.ts';
import { MAX_UPLOAD_BYTES, ZCheckRequest, ZExportRequest, ZFileDownload, ZImportIdParams, ZUploadedFile } from './member-transfer.schemas.ts';
import type { MemberTransferService } from './member-transfer.service.ts';
import { CONTENT_TYPES, contentDisposition } from './spreadsheet-writer.ts';

type UploadedFile = { fileName: string; bytes: Buffer };

/** Uploads are read into memory before the handler opens its transaction, so a slow upload holds no database connection. */
const uploads = new WeakMap<FastifyRequest, UploadedFile>();

async function receiveFile(req: FastifyRequest): Promise<UploadedFile> {
  if (!req.isMultipart()) throw new AppError('member_import.file_missing');
  const part = await req.file().catch(() => undefined);
  if (!part) throw new AppError('member_import.file_missing');
  try {
    return ZUploadedFile.parse({ fileName: part.filename, bytes: await part.toBuffer() });
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('member_import.file_too_large', { limit: MAX_UPLOAD_BYTES });
    if (error instanceof AppError) throw error;
    throw new AppError('member_import.file_missing');
  }
}

export function memberTransferRoutes(service: MemberTransferService): FastifyPluginAsyncZod {
  return async (app) => {
    // Multipart parsing exists for the upload route only (an encapsulated plugin); every other route stays JSON-only.
    await app.register(async (upload) => {
      // Busboy reads header parameters as latin1 unless told: browsers send UTF-8 file names (會員名單.csv).
      const busboy = { defParamCharset: 'utf8' };
      await upload.register(fastifyMultipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 4, parts: 5 }, ...busboy });
      upload.withTypeProvider<ZodTypeProvider>().post('/api/member-imports', {
        schema: {
          tags: ['member-imports'],
          summary: 'Upload a member (or stay) file: multipart field "file", CSV (UTF-8/Big5) or XLSX, at most 20 MB. Answers the columns, sample rows and a suggested mapping',
          consumes: ['multipart/form-data'],
          querystring: ZUploadQuery,
          response: { 201: ZUploadResponse },
        },
        config: { access: 'members.edit', authenticateBeforeBody: true },
        preHandler: async (req) => {
          uploads.set(req, await receiveFile(req));
        },
      }, async (req, reply) => {
        const file = uploads.get(req);
        if (!file) throw new AppError('member_import.file_missing');
        reply.code(201);
        return service.upload(req.ctx, { kind: req.query.kind, ...file });
      });
    });

    app.get('/api/member-imports', {
      schema: { tags: ['member-imports'], summary: 'Imports, newest first', querystring: ZPageQuery, response: { 200: ZImportList } },
      config: { access: 'members.edit' },
    }, async (req) => service.listImports(req.ctx, req.query));

    app.get('/api/member-imports/template', {
      schema: { tags: ['member-imports'], summary: 'A template file: recognised headers and one example row (skipped on import)', querystring: ZTemplateQuery, response: { 200: ZFileDownload } },
      config: { access: 'members.edit' },
    }, async (req, reply) => {
      const file = await service.template(req.ctx, req.query.kind, req.query.format);
      reply.header('content-type', CONTENT_TYPES[file.format]).header('content-disposition', contentDisposition(file.fileName, file.asciiName)).header('cache-control', 'no-store');
      return file.bytes;
    });

    app.get('/api/member-imports/:importId', {
      schema: { tags: ['member-imports'], summary: 'One import: status, progress, dry-run and result counts, error summary (poll while it runs)', params: ZImportIdParams, response: { 200: ZMemberImport } },
      config: { access: 'members.edit' },
    }, async (req) => service.getImport(req.ctx, req.params.importId));

    app.post('/api/member-imports/:importId/check', {
      schema: {
        tags: ['member-imports'],
        summary: 'Save the column mapping and dry-run every row (in the request up to 2,000 rows, else as a background job: poll the import)',
        params: ZImportIdParams,
        body: ZCheckRequest,
        response: { 200: ZMemberImport },
      },
      config: { access: 'members.edit' },
    }, async (req) => service.check(req.ctx, req.params.importId, req.body.mapping));

    app.post('/api/member-imports/:importId/commit', {
      schema: { tags: ['member-imports'], summary: 'Import the checked file in the background (poll the import for progress)', params: ZImportIdParams, response: { 202: ZMemberImport } },
      config: { access: 'members.edit' },
    }, async (req, reply) => {
      reply.code(202);
      return service.commit(req.ctx, req.params.importId);
    });

    app.get('/api/member-imports/:importId/rows', {
      schema: { tags: ['member-imports'], summary: 'Each row’s outcome: what the dry run would do, or what the import did, with reasons', params: ZImportIdParams, querystring: ZImportRowsQuery, response: { 200: ZImportRowsPage } },
      config: { access: 'members.edit' },
    }, async (req) => service.listRows(req.ctx, req.params.importId, req.query));

    app.get('/api/member-imports/:importId/error-report', {
      schema: { tags: ['member-imports'], summary: 'The row errors as CSV or XLSX (personal data masked)', params: ZImportIdParams, querystring: ZReportQuery, response: { 200: ZFileDownload } },
      config: { access: 'members.edit' },
    }, async (req, reply) => {
      const report = await service.errorReport(req.ctx, req.params.importId, req.query.format);
      reply.header('content-type', CONTENT_TYPES[report.format]).header('content-disposition', contentDisposition(report.fileName, report.asciiName)).header('cache-control', 'no-store');
      return report.bytes;
    });

    app.post('/api/members/export', {
      schema: {
        tags: ['members'],
        summary: 'Export members (an audience: segment, conditions, chosen members or search) as XLSX or CSV; masked unless personal_data.unmasked; audit-logged',
        body: ZExportRequest,
        response: { 200: ZFileDownload },
      },
      config: { access: 'reports.download' },
    }, async (req, reply) => {
      const file = await service.exportMembers(req.ctx, req.body);
      reply.header('content-type', file.contentType).header('content-disposition', contentDisposition(file.fileName, file.asciiName)).header('cache-control', 'no-store');
      return file.bytes;
    });
  };
}
