import type { ErrorEntry } from './entry.ts';

/** Hotel groups and their properties (modules/tenants). */
export const TENANTS_ERRORS = {
  'tenant.not_found': { status: 404, 'zh-TW': '找不到此飯店集團。', en: 'Hotel group not found.' },
  'tenant.slug_taken': { status: 409, 'zh-TW': '此代號已被使用。', en: 'This short name is already taken.' },
  'tenant.platform_locked': { status: 409, 'zh-TW': '平台本身不可停用。', en: 'The platform itself cannot be suspended.' },
  'property.not_found': { status: 404, 'zh-TW': '找不到此館別。', en: 'Property not found.' },
  'property.code_taken': { status: 409, 'zh-TW': '此館別代碼已被使用。', en: 'This property code is already in use.' },
} as const satisfies Record<string, ErrorEntry>;
