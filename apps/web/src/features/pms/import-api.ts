import type { RequestBody, ResponseBody, ZPmsColumnMapping, ZPmsDryRun, ZPmsFileUploaded, ZPmsGenericUploaded, ZPmsSavedMapping, ZPmsSavedMappingList } from '@innkeeper/contracts/api';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

// Another PMS's export (the generic import): upload, map its columns, dry run, apply or discard; saved mappings.
export type PmsImport = ResponseBody<typeof ZPmsGenericUploaded>;
export type PmsDryRun = ResponseBody<typeof ZPmsDryRun>;
export type PmsImportApplied = ResponseBody<typeof ZPmsFileUploaded>;
export type ColumnMapping = RequestBody<typeof ZPmsColumnMapping>;
export type SavedMapping = ResponseBody<typeof ZPmsSavedMapping>;

const connectionPath = (connectionId: string) => `/api/pms/connections/${encodeURIComponent(connectionId)}`;
const importPath = (connectionId: string, fileId: string) => `${connectionPath(connectionId)}/imports/${encodeURIComponent(fileId)}`;
export const importKey = (connectionId: string, fileId: string) => ['pms', 'import', connectionId, fileId] as const;
const mappingsKey = (connectionId: string) => ['pms', 'mappings', connectionId] as const;

/**
 * The PMS page read again after an import is applied or discarded (files, runs, report), but not the import itself:
 * asked again it would be "not found" and replace the screen before the mutation's own callbacks (message, closing)
 * run. Not awaited, for the same reason.
 */
function refreshPage(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: ['pms'], predicate: (query) => query.queryKey[1] !== 'import' });
}

/** POST …/imports (multipart "file"): the columns, masked sample rows and a suggested mapping; kept for the next step. */
export function useUploadImport(connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => api.upload<PmsImport>(`${connectionPath(connectionId)}/imports`, { file }),
    onSuccess: (answer) => {
      queryClient.setQueryData(importKey(connectionId, answer.file.id), answer);
      return queryClient.invalidateQueries({ queryKey: ['pms', 'files', connectionId] });
    },
  });
}

/** GET …/imports/:fileId: a file still waiting for its mapping (staff come back to it). */
export function usePmsImport(connectionId: string, fileId: string) {
  return useQuery({
    queryKey: importKey(connectionId, fileId),
    queryFn: ({ signal }) => api.get<PmsImport>(importPath(connectionId, fileId), { signal }),
    retry: false,
    staleTime: Infinity,
  });
}

/** POST …/imports/:fileId/dry-run: what the mapping would do; nothing is kept. */
export function useImportDryRun(connectionId: string) {
  return useMutation({ mutationFn: ({ fileId, mapping }: { fileId: string; mapping: ColumnMapping }) => api.post<PmsDryRun>(`${importPath(connectionId, fileId)}/dry-run`, { mapping }) });
}

/** POST …/imports/:fileId/apply: queued with its mapping; a run applies it (run history). */
export function useApplyImport(connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ fileId, mapping }: { fileId: string; mapping: ColumnMapping }) => api.post<PmsImportApplied>(`${importPath(connectionId, fileId)}/apply`, { mapping }),
    onSettled: () => refreshPage(queryClient),
  });
}

/** DELETE …/imports/:fileId: a waiting file discarded (never applied). */
export function useDiscardImport(connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fileId: string) => api.delete<void>(importPath(connectionId, fileId)),
    onSettled: () => refreshPage(queryClient),
  });
}

export function useSavedMappings(connectionId: string) {
  return useQuery({
    queryKey: mappingsKey(connectionId),
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZPmsSavedMappingList>>(`${connectionPath(connectionId)}/mappings`, { signal })).data,
  });
}

/** Saves under a name: a new mapping, or (with an id) the one chosen, changed. */
export function useSaveMapping(connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, name, mapping }: { id?: string | undefined; name: string; mapping: ColumnMapping }) =>
      id ? api.patch<SavedMapping>(`${connectionPath(connectionId)}/mappings/${encodeURIComponent(id)}`, { name, mapping }) : api.post<SavedMapping>(`${connectionPath(connectionId)}/mappings`, { name, mapping }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: mappingsKey(connectionId) }),
  });
}

export function useDeleteMapping(connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`${connectionPath(connectionId)}/mappings/${encodeURIComponent(id)}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: mappingsKey(connectionId) }),
  });
}
