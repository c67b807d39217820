import type { ErrorEntry } from './entry.ts';

/** Staff accounts and roles (modules/accounts). */
export const ACCOUNTS_ERRORS = {
  'role.not_found': { status: 404, 'zh-TW': '找不到此角色。', en: 'Role not found.' },
  'role.name_taken': { status: 409, 'zh-TW': '角色名稱已存在。', en: 'A role with this name already exists.' },
  'role.builtin_readonly': { status: 409, 'zh-TW': '內建角色不可修改或刪除。', en: 'Built-in roles cannot be changed or deleted.' },
  'role.platform_fixed': { status: 409, 'zh-TW': '平台帳號只使用內建的平台營運角色。', en: 'Platform accounts use the built-in operator role only.' },
  'role.in_use': { status: 409, 'zh-TW': '仍有帳號使用此角色，無法刪除。', en: 'Accounts still use this role; it cannot be deleted.' },
  'role.permission_not_held': { status: 403, 'zh-TW': '不能授予或變更您自己沒有的權限。', en: 'You cannot grant or change a permission you do not hold.' },
  'role.own_role': { status: 403, 'zh-TW': '不能修改自己所屬的角色。', en: 'You cannot edit the role you are assigned.' },
  'account.not_found': { status: 404, 'zh-TW': '找不到此帳號。', en: 'Account not found.' },
  'account.email_taken': { status: 409, 'zh-TW': '此電子郵件已被使用。', en: 'This email address is already in use.' },
  'account.cannot_change_self': { status: 409, 'zh-TW': '不能停用自己的帳號或變更自己的角色。', en: 'You cannot disable your own account or change your own role.' },
  'account.last_administrator': { status: 409, 'zh-TW': '至少需保留一位啟用中的管理員。', en: 'At least one active administrator must remain.' },
  'account.administrators_only': { status: 403, 'zh-TW': '只有管理員可以變更管理員帳號或指派管理員角色。', en: 'Only administrators can change administrator accounts or assign the administrator role.' },
  'account.outranks_caller': { status: 403, 'zh-TW': '此帳號擁有您沒有的權限或館別，您無法變更。', en: 'This account holds permissions or properties you do not; you cannot change it.' },
  'account.property_not_held': { status: 403, 'zh-TW': '不能指派您無權存取的館別。', en: 'You cannot grant access to properties you do not have.' },
} as const satisfies Record<string, ErrorEntry>;
