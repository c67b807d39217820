import { DEFAULT_LOCALE, PLATFORM_PERMISSIONS, TENANT_PERMISSIONS, type Permission } from '@innkeeper/contracts';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

const PERMISSIONS: readonly string[] = [...TENANT_PERMISSIONS, ...PLATFORM_PERMISSIONS];
const BUILTIN_KEYS = ['customer_service', 'marketing', 'management', 'administrator', 'operator'] as const;
type BuiltinKey = (typeof BUILTIN_KEYS)[number];

export function isPermission(value: string): value is Permission {
  return PERMISSIONS.includes(value);
}

function isBuiltinKey(value: string | null): value is BuiltinKey {
  return value !== null && (BUILTIN_KEYS as readonly string[]).includes(value);
}

/** `auth.login_failed` → `auth · login failed`: readable enough when a newer server sends a code we have no label for. */
export function humanizeCode(code: string): string {
  return code.replace(/_/g, ' ').replace(/\./g, ' · ');
}

export function usePermissionLabel() {
  const { t } = useTranslation();
  return useCallback((permission: string) => (isPermission(permission) ? t(`permissions.${permission}.label`) : humanizeCode(permission)), [t]);
}

export function usePermissionDescription() {
  const { t } = useTranslation();
  return useCallback((permission: Permission) => t(`permissions.${permission}.description`), [t]);
}

/** Built-in roles are named in the UI language; custom roles keep the name their tenant gave them. */
export function useRoleLabel() {
  const { t } = useTranslation();
  return useCallback((role: { name: string; builtinKey: string | null }) => (isBuiltinKey(role.builtinKey) ? t(`roles.builtin.${role.builtinKey}`) : role.name), [t]);
}

/** Labels for audit actions and target types, which the server sends as codes (new ones may appear before we label them). */
export function useAuditLabels() {
  const { i18n } = useTranslation();
  // The i18n instance stays the same when the language changes; the language is what makes the labels new.
  const current = i18n.language;
  const lookup = useCallback(
    (key: string): string | undefined => {
      for (const language of [current, DEFAULT_LOCALE]) {
        const value: unknown = i18n.getResource(language, 'translation', key);
        if (typeof value === 'string') return value;
      }
      return undefined;
    },
    [i18n, current],
  );
  const actionLabel = useCallback((action: string) => lookup(`auditActions.${action}`) ?? humanizeCode(action), [lookup]);
  const targetLabel = useCallback((targetType: string) => lookup(`auditTargets.${targetType}`) ?? humanizeCode(targetType), [lookup]);
  const groupLabel = useCallback((prefix: string) => lookup(`auditActionGroups.${prefix}`) ?? humanizeCode(prefix), [lookup]);
  /** Background work (imports, LINE, sign-in…) is recorded as `system:<name>`; unknown names are shown as they are. */
  const systemActorLabel = useCallback((name: string) => lookup(`audit.systemActors.${name}`) ?? name, [lookup]);
  return { actionLabel, targetLabel, groupLabel, systemActorLabel };
}
