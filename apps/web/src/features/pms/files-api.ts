import type { ResponseBody, ZPmsFile, ZPmsFileList, ZPmsFileUploaded } from '@innkeeper/contracts/api';
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

/** POST /api/pms/connections/:id/files (multipart "file"): recorded, and a run starts to apply it. */
export function useUploadPmsFile(connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => api.upload<PmsFileUploaded>(`/api/pms/connections/${encodeURIComponent(connectionId)}/files`, { file }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['pms'] }),
  });
}
