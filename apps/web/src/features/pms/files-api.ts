import type { ResponseBody, ZPmsDropFolder, ZPmsFile, ZPmsFileList, ZPmsFileUploaded } from '@innkeeper/contracts/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

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

export type PmsDropFolder = ResponseBody<typeof ZPmsDropFolder>;

/** GET /api/pms/connections/:id/drop-folder: the folder checked as a run would check it (asked again after a run). */
export function usePmsDropFolder(connectionId: string, dropDir: string | null | undefined) {
  return useQuery({
    queryKey: ['pms', 'drop-folder', connectionId, dropDir ?? ''],
    queryFn: async ({ signal }) => api.get<PmsDropFolder>(`/api/pms/connections/${encodeURIComponent(connectionId)}/drop-folder`, { signal }),
    enabled: Boolean(dropDir),
  });
}

/** POST /api/pms/connections/:id/files (multipart "file"): recorded, and a run starts to apply it. */
export function useUploadPmsFile(connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => api.upload<PmsFileUploaded>(`/api/pms/connections/${encodeURIComponent(connectionId)}/files`, { file }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['pms'] }),
  });
}
