import type { ResponseBody, ZPmsFile, ZPmsFileList, ZPmsFileUploaded } from '@innkeeper/contracts/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import { ApiError, parseErrorBody } from '../../lib/api-error.ts';
import { i18n } from '../../lib/i18n.ts';

// The 德安 files of a connection (contract §9): what was dropped or uploaded, and uploading one.
export type PmsFile = ResponseBody<typeof ZPmsFile>;
export type PmsFileUploaded = ResponseBody<typeof ZPmsFileUploaded>;

/** GET /api/pms/connections/:id/files; polled while a sync runs (a file's rows move on). */
export function usePmsFiles(connectionId: string, running: boolean) {
  return useQuery({
    queryKey: ['pms', 'files', connectionId],
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZPmsFileList>>(`/api/pms/connections/${encodeURIComponent(connectionId)}/files`, { signal })).data,
    refetchInterval: running ? 2000 : false,
  });
}

/** POST /api/pms/connections/:id/files (multipart "file"): the server's coded error (too large, unreadable, duplicate) is thrown as is. */
async function uploadPmsFile(connectionId: string, file: File, csrfToken: string): Promise<PmsFileUploaded> {
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(`/api/pms/connections/${encodeURIComponent(connectionId)}/files`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'accept-language': i18n.language, 'x-csrf-token': csrfToken },
      body: form,
    });
  } catch {
    throw new ApiError(0, 'client.network', i18n.t('errors.network'));
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    body = undefined;
  }
  if (response.ok) return body as PmsFileUploaded;
  throw parseErrorBody(response.status, body) ?? new ApiError(response.status, 'client.unexpected_response', i18n.t('errors.unexpectedResponse'));
}

/** Recorded, and a run starts to apply it. */
export function useUploadPmsFile(connectionId: string, csrfToken: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => uploadPmsFile(connectionId, file, csrfToken),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['pms'] }),
  });
}
