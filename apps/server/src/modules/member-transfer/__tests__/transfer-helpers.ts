import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import type { ApiClient, ApiResponse } from '../../../../test/api-client.ts';

/** Files built in the tests themselves: CSV text, Big5 bytes, XLSX workbooks; and raw (binary) downloads. */

export function csvText(rows: string[][]): string {
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return rows.map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}

let big5Table: Map<string, number[]> | undefined;

/** Encodes text as Big5 (Node has only a Big5 decoder, so the table is built by decoding every two-byte code). */
export function big5(text: string): Buffer {
  if (!big5Table) {
    const table = new Map<string, number[]>();
    const decoder = new TextDecoder('big5');
    const leads = [...Array.from({ length: 0xfe - 0xa1 + 1 }, (_, i) => 0xa1 + i), ...Array.from({ length: 0xa0 - 0x81 + 1 }, (_, i) => 0x81 + i)];
    const trails = [...Array.from({ length: 0x7e - 0x40 + 1 }, (_, i) => 0x40 + i), ...Array.from({ length: 0xfe - 0xa1 + 1 }, (_, i) => 0xa1 + i)];
    for (const lead of leads) {
      for (const trail of trails) {
        const char = decoder.decode(Uint8Array.of(lead, trail));
        if (char.length === 1 && char !== '\uFFFD' && !table.has(char)) table.set(char, [lead, trail]);
      }
    }
    big5Table = table;
  }
  const bytes: number[] = [];
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) bytes.push(char.charCodeAt(0));
    else {
      const code = big5Table.get(char);
      if (!code) throw new Error(`no Big5 code for ${char}`);
      bytes.push(...code);
    }
  }
  return Buffer.from(bytes);
}

export async function xlsxBuffer(rows: ExcelJS.CellValue[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('會員');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export type XlsxCell = { value: ExcelJS.CellValue; type: ExcelJS.ValueType };

export async function readXlsx(bytes: Buffer): Promise<XlsxCell[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: XlsxCell[][] = [];
  workbook.worksheets[0]!.eachRow((row) => {
    const cells: XlsxCell[] = [];
    row.eachCell({ includeEmpty: true }, (cell) => cells.push({ value: cell.value, type: cell.type }));
    rows.push(cells);
  });
  return rows;
}

/** A multipart upload as a browser sends it (UTF-8 file name), through the signed-in client. */
export function uploadFile(client: ApiClient, fileName: string, content: Buffer | string, query = ''): Promise<ApiResponse> {
  const boundary = `----innkeeper${crypto.randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8'),
    typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  ]);
  return client.request('POST', `/api/member-imports${query}`, payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
}

export type Download = { status: number; headers: Record<string, unknown>; bytes: Buffer; json(): { error: { code: string } } };

/** A request whose answer is a file: the raw bytes, not the client's text decoding. */
export async function download(client: ApiClient, method: 'GET' | 'POST', url: string, body?: unknown): Promise<Download> {
  const headers: Record<string, string> = { 'accept-language': client.locale, cookie: client.cookie ?? '', 'x-csrf-token': client.csrfToken ?? '' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await client.app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
  return { status: response.statusCode, headers: response.headers, bytes: response.rawPayload, json: () => response.json() };
}

/** Runs the queued jobs (the test harness's inline driver), then reads the import: it must have reached one of the statuses. */
export async function waitForImport(client: ApiClient, id: string, statuses: string[]): Promise<ApiResponse['body']> {
  await client.env.runtime.queue.drain();
  const response = await client.get(`/api/member-imports/${id}`);
  if (statuses.includes(response.body.status)) return response.body;
  if (response.body.status === 'failed') throw new Error(`import failed: ${response.body.failure}`);
  throw new Error(`import ${id} is ${response.body.status}, not ${statuses.join('/')}, once the queued jobs ran`);
}

/** Upload, dry run with the suggested (or a given) mapping; answers the checked import. */
export async function uploadAndCheck(client: ApiClient, fileName: string, content: Buffer | string, options: { kind?: 'members' | 'stays'; mapping?: Record<string, number> } = {}) {
  const uploaded = await uploadFile(client, fileName, content, options.kind ? `?kind=${options.kind}` : '');
  if (uploaded.status !== 201) throw new Error(`upload failed: ${uploaded.status} ${JSON.stringify(uploaded.body)}`);
  const id: string = uploaded.body.import.id;
  const checked = await client.post(`/api/member-imports/${id}/check`, { mapping: options.mapping ?? uploaded.body.suggestedMapping });
  if (checked.status !== 200) throw new Error(`check failed: ${checked.status} ${JSON.stringify(checked.body)}`);
  const result = checked.body.status === 'checking' ? await waitForImport(client, id, ['checked']) : checked.body;
  return { uploaded: uploaded.body, id, checked: result };
}

export async function commitAndWait(client: ApiClient, id: string) {
  const committed = await client.post(`/api/member-imports/${id}/commit`);
  if (committed.status !== 202) throw new Error(`commit failed: ${committed.status} ${JSON.stringify(committed.body)}`);
  return waitForImport(client, id, ['completed']);
}
