import type { RequestBody, ResponseBody, ZCheckRequest, ZImportList, ZImportRowsPage, ZMemberImport, ZUploadResponse } from '@innkeeper/contracts/api';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../../session/session-context.ts';
import { meQueryKey } from '../../session/api.ts';
import { api } from '../../lib/api-client.ts';
import { isApiError } from '../../lib/api-error.ts';
import type { Audience } from '../members/index.ts';
import { fetchFile, saveFile, uploadFile } from './file-transfer.ts';

// The routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api); types only.
export type MemberImport = ResponseBody<typeof ZMemberImport>;
export type ImportKind = MemberImport['kind'];
export type ImportStatus = MemberImport['status'];
export type FileFormat = MemberImport['format'];
export type ErrorSummary = MemberImport['errorSummary'][number];
/** Field → 0-based column index. */
export type ImportMapping = RequestBody<typeof ZCheckRequest>['mapping'];

export type UploadResponse = ResponseBody<typeof ZUploadResponse>;
export type ImportField = UploadResponse['fields'][number];

type ImportRowsPage = ResponseBody<typeof ZImportRowsPage>;
export type ImportRow = ImportRowsPage['data'][number];
export type RowAction = ImportRow['action'];
export type RowError = ImportRow['errors'][number];

export const importKeys = {
  all: ['member-imports'] as const,
  list: (page: number, pageSize: number) => ['member-imports', 'list', page, pageSize] as const,
  one: (id: string) => ['member-imports', 'one', id] as const,
  rows: (id: string, query: { action?: RowAction | undefined; page: number; pageSize: number }) => ['member-imports', 'rows', id, query] as const,
};

const path = (id: string) => `/api/member-imports/${encodeURIComponent(id)}`;
const RUNNING: ReadonlySet<ImportStatus> = new Set(['checking', 'queued', 'importing']);

export function isRunning(status: ImportStatus | undefined): boolean {
  return status !== undefined && RUNNING.has(status);
}

/** File calls bypass the api client; a session that ended there is noticed by re-reading the session (the gate redirects). */
function useSessionCheck() {
  const queryClient = useQueryClient();
  return (error: unknown) => {
    if (isApiError(error) && (error.isSessionEnded || error.code === 'auth.forbidden')) void queryClient.invalidateQueries({ queryKey: meQueryKey });
  };
}

/** POST /api/member-imports (multipart): the file's columns, sample rows and a suggested mapping. */
export function useUploadImport() {
  const { me } = useSession();
  const check = useSessionCheck();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, kind, onProgress }: { file: File; kind: ImportKind; onProgress?: (percent: number) => void }) =>
      uploadFile<UploadResponse>(`/api/member-imports?kind=${kind}`, file, { csrfToken: me.csrfToken, onProgress }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: importKeys.all }),
    onError: check,
  });
}

/** GET /api/member-imports */
export function useImports(page: number, pageSize: number) {
  return useQuery({
    queryKey: importKeys.list(page, pageSize),
    queryFn: ({ signal }) => api.get<ResponseBody<typeof ZImportList>>('/api/member-imports', { signal, query: { page, pageSize } }),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/member-imports/:id, polled every second while a dry run or the import runs. */
export function useImport(id: string | undefined) {
  return useQuery({
    queryKey: importKeys.one(id ?? ''),
    queryFn: ({ signal }) => api.get<MemberImport>(path(id ?? ''), { signal }),
    enabled: Boolean(id),
    staleTime: 0,
    refetchInterval: (query) => (isRunning(query.state.data?.status) ? 1000 : false),
  });
}

/** POST /api/member-imports/:id/check: saves the mapping and dry-runs the file. */
export function useCheckImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, mapping }: { id: string; mapping: ImportMapping }) => api.post<MemberImport>(`${path(id)}/check`, { mapping }),
    onSuccess: (result) => {
      queryClient.setQueryData(importKeys.one(result.id), result);
      return queryClient.invalidateQueries({ queryKey: ['member-imports', 'rows', result.id] });
    },
  });
}

/** POST /api/member-imports/:id/commit: imports the checked file in the background. */
export function useCommitImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<MemberImport>(`${path(id)}/commit`),
    onSuccess: (result) => {
      queryClient.setQueryData(importKeys.one(result.id), result);
      return queryClient.invalidateQueries({ queryKey: importKeys.all });
    },
  });
}

/** GET /api/member-imports/:id/rows */
export function useImportRows(id: string | undefined, query: { action?: RowAction | undefined; page: number; pageSize: number }, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: importKeys.rows(id ?? '', query),
    queryFn: ({ signal }) => api.get<ImportRowsPage>(`${path(id ?? '')}/rows`, { signal, query }),
    enabled: Boolean(id) && enabled,
    placeholderData: keepPreviousData,
  });
}

/** GET /api/member-imports/:id/error-report: the row errors as CSV or XLSX, saved as a file. */
export function useDownloadErrorReport() {
  const { me } = useSession();
  const check = useSessionCheck();
  return useMutation({
    mutationFn: async ({ id, format }: { id: string; format: FileFormat }) =>
      saveFile(await fetchFile('GET', `${path(id)}/error-report?format=${format}`, undefined, { csrfToken: me.csrfToken, fallbackName: `import-errors.${format}` })),
    onError: check,
  });
}

/** GET /api/member-imports/template: the template file (recognised headers and one example row, skipped on import). */
export function useDownloadTemplate() {
  const { me } = useSession();
  const check = useSessionCheck();
  return useMutation({
    mutationFn: async ({ kind, format }: { kind: ImportKind; format: FileFormat }) =>
      saveFile(await fetchFile('GET', `/api/member-imports/template?kind=${kind}&format=${format}`, undefined, { csrfToken: me.csrfToken, fallbackName: `${kind}-import-template.${format}` })),
    onError: check,
  });
}

/** POST /api/members/export: an audience as XLSX or CSV (masked unless the account may see personal data), saved as a file. */
export function useExportMembers() {
  const { me } = useSession();
  const check = useSessionCheck();
  return useMutation({
    mutationFn: async ({ audience, format }: { audience: Audience; format: FileFormat }) =>
      saveFile(await fetchFile('POST', '/api/members/export', { audience, format }, { csrfToken: me.csrfToken, fallbackName: `members.${format}` })),
    onError: check,
  });
}
