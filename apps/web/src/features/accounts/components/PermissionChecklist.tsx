import type { TenantPermission } from '@innkeeper/contracts';
import { Checkbox, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePermissionDescription, usePermissionLabel } from '../../../lib/labels.ts';
import { permissionGroups } from '../permission-groups.ts';

type Props = {
  value?: TenantPermission[];
  onChange?: (value: TenantPermission[]) => void;
  id?: string;
  /** Whether the signed-in account holds the permission: nobody grants (or takes away) what they do not hold. */
  held?: (permission: TenantPermission) => boolean;
};

/**
 * A form control: permissions as checkboxes, grouped, each with what it allows. A permission the signed-in account
 * does not hold stays as it is and says why, instead of being ticked and refused by the server on save.
 */
export function PermissionChecklist({ value = [], onChange, id, held = () => true }: Props) {
  const { t } = useTranslation();
  const label = usePermissionLabel();
  const describe = usePermissionDescription();
  const selected = new Set(value);

  const toggle = (permission: TenantPermission, checked: boolean) => {
    const next = new Set(selected);
    if (checked) next.add(permission);
    else next.delete(permission);
    onChange?.([...next]);
  };

  return (
    <Flex vertical gap={12} id={id}>
      {permissionGroups().map((group) => (
        <fieldset key={group.key} style={{ border: 0, margin: 0, padding: 0 }}>
          <legend style={{ fontSize: 14, fontWeight: 600, marginBottom: 4, border: 0 }}>{t(`permissionGroups.${group.key}`)}</legend>
          <Flex vertical gap={6}>
            {group.permissions.map((permission) => (
              <Checkbox
                key={permission}
                checked={selected.has(permission)}
                disabled={!held(permission)}
                onChange={(event) => toggle(permission, event.target.checked)}
              >
                <span>{label(permission)}</span>
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {describe(permission)}
                </Typography.Text>
                {held(permission) ? null : (
                  <Typography.Text type="warning" style={{ display: 'block', fontSize: 12 }}>
                    {t('roles.notHeld')}
                  </Typography.Text>
                )}
              </Checkbox>
            ))}
          </Flex>
        </fieldset>
      ))}
    </Flex>
  );
}
