import type { Locale } from './locales.ts';

/**
 * The words Innkeeper uses for things that had several names across screens, errors and files (行動電話／電子信箱 vs
 * 手機／Email, 住宿 vs 住房, 貼上 vs 加上 標籤). `use` is the term the labels must be (tested against the web app's
 * locale files); `avoid` are the variants no user-facing text may contain (checked by tests over the locale files, the
 * error catalog and the server's field messages). The importer still *reads* the variants in file headers.
 * Chosen by how often each was used: 手機 (26×) over 行動電話, 住房 (23×) over 住宿 (2×), 加上 (20×) over 貼上標籤.
 * 電子郵件 stays the word for a sign-in address and for mail itself; a guest's address is Email.
 */
export const GLOSSARY: Record<Locale, Record<string, { use: string; avoid: readonly string[] }>> = {
  'zh-TW': {
    mobile: { use: '手機', avoid: ['行動電話', '電話號碼'] },
    mobileNumber: { use: '手機號碼', avoid: [] },
    email: { use: 'Email', avoid: ['電子信箱', 'E-mail', 'e-mail'] },
    stay: { use: '住房', avoid: ['住宿'] },
    stayRecord: { use: '住房紀錄', avoid: ['住宿紀錄', '入住紀錄'] },
    addTag: { use: '加上標籤', avoid: ['貼上標籤', '貼標籤'] },
    importFile: { use: '匯入檔「{{file}}」', avoid: [] },
    // 紀錄 is the noun (稽核紀錄, 住房紀錄, 互動紀錄, 匯入紀錄); 記錄 stays the verb (「會記錄在稽核紀錄」).
    followLog: { use: '封鎖紀錄', avoid: ['封鎖記錄'] },
    // The people in the CRM are 會員 on every screen (自動化 said 旅客 for the same people).
    member: { use: '會員', avoid: ['旅客'] },
    // A guest with no LINE user (line_status 'never'): the estimate, a send's skips, the follow log, automation's skips
    // and the member page named it 未加入 LINE 好友, 未綁定 LINE, 非好友, 無 LINE and 未加好友. Binding (綁定) is the
    // membership step inside LINE, a different state, so it must not name this one.
    notLineFriend: { use: '未加入 LINE 好友', avoid: ['未綁定 LINE', '非 LINE 好友', '非好友', '未加好友'] },
    noConsent: { use: '未同意接收行銷訊息', avoid: ['未同意行銷', '未同意接收優惠'] },
  },
  en: {
    mobile: { use: 'Mobile', avoid: ['Cell phone', 'cell phone', 'phone number'] },
    mobileNumber: { use: 'mobile number', avoid: [] },
    email: { use: 'Email', avoid: ['E-mail', 'e-mail'] },
    stay: { use: 'Stay', avoid: ['Booking record'] },
    stayRecord: { use: 'Stays', avoid: [] },
    addTag: { use: 'Add tag', avoid: ['Attach tag', 'Tag assigned'] },
    importFile: { use: 'import “{{file}}”', avoid: [] },
    followLog: { use: 'Follows & blocks', avoid: [] },
    member: { use: 'member', avoid: [] },
    notLineFriend: { use: 'Not a LINE friend', avoid: ['Not LINE friends', 'Not a friend'] },
    noConsent: { use: 'No marketing consent', avoid: [] },
  },
};

/** The texts (with where they are) that contain a variant the glossary avoids, as "where: variant → term". */
export function glossaryViolations(locale: Locale, texts: Iterable<readonly [where: string, text: string]>): string[] {
  const found: string[] = [];
  for (const [where, text] of texts) {
    for (const { use, avoid } of Object.values(GLOSSARY[locale])) {
      for (const variant of avoid) if (text.includes(variant)) found.push(`${where}: ${variant} → ${use}`);
    }
  }
  return found;
}
