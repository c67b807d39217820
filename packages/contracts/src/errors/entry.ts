/** An error the API can answer: its HTTP status and its message in each locale. */
export type ErrorEntry = { status: number; 'zh-TW': string; en: string };
