import { DEFAULT_LOCALE, LOCALES, type Locale } from '@innkeeper/contracts';
import { Alert, Form, Input, Modal, Radio, Select, Skeleton } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { useRoleLabel } from '../../../lib/labels.ts';
import { useFormError } from '../../../lib/use-form-error.ts';
import { useProperties } from '../../properties/index.ts';
import { useAccount, useCreateAccount, useUpdateAccount, type Account } from '../api/accounts.ts';
import type { Role } from '../api/roles.ts';
import { canAssignRole, useGranter } from '../assignable.ts';

type Values = { email: string; displayName: string; roleId: string; allProperties: boolean; propertyIds: string[]; locale: Locale };
const FIELDS = ['email', 'displayName', 'roleId', 'allProperties', 'propertyIds', 'locale'] as const;

export type AccountFormTarget = { mode: 'create' } | { mode: 'edit'; accountId: string };

type Props = {
  target: AccountFormTarget | undefined;
  /** The platform tenant has no properties, so the property scope is not asked. */
  withProperties: boolean;
  roles: Role[];
  selfId: string;
  onClose: () => void;
  onSaved: (account: Account, mode: 'create' | 'edit') => void;
};

/** Create a sub-account (which is emailed an invitation) or edit one. */
export function AccountFormModal({ target, withProperties, roles, selfId, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  const granter = useGranter();
  const [form] = Form.useForm<Values>();
  const editingId = target?.mode === 'edit' ? target.accountId : undefined;
  const existing = useAccount(editingId);
  const properties = useProperties({ enabled: withProperties });
  const create = useCreateAccount();
  const update = useUpdateAccount();
  const { formError, onError, clearFormError } = useFormError(form, FIELDS);
  const allProperties = Form.useWatch('allProperties', form) ?? true;
  const isSelf = editingId === selfId;
  const open = target !== undefined;

  useEffect(() => {
    if (!open) return;
    clearFormError();
    if (target.mode === 'create') {
      form.resetFields();
      form.setFieldsValue({ allProperties: true, propertyIds: [], locale: DEFAULT_LOCALE });
    } else if (existing.data) {
      const { email, displayName, roleId, allProperties: all, propertyIds, locale } = existing.data;
      form.setFieldsValue({ email, displayName, roleId, allProperties: all, propertyIds, locale });
    }
  }, [open, target, existing.data, form, clearFormError]);

  const submit = (values: Values) => {
    clearFormError();
    const propertyIds = values.allProperties ? [] : values.propertyIds;
    if (target?.mode === 'edit') {
      update.mutate(
        { id: target.accountId, displayName: values.displayName, ...(isSelf ? {} : { roleId: values.roleId }), allProperties: values.allProperties, propertyIds, locale: values.locale },
        { onSuccess: (account) => onSaved(account, 'edit'), onError },
      );
    } else {
      create.mutate({ ...values, propertyIds }, { onSuccess: (account) => onSaved(account, 'create'), onError });
    }
  };

  const loadingExisting = target?.mode === 'edit' && existing.isPending;
  return (
    <Modal
      open={open}
      title={target?.mode === 'edit' ? t('accounts.editTitle') : t('accounts.createTitle')}
      okText={target?.mode === 'edit' ? t('common.save') : t('accounts.createSubmit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={{ disabled: loadingExisting || existing.isError }}
      forceRender
      width={560}
    >
      {target?.mode === 'create' ? <Alert role="note" type="info" showIcon title={t('accounts.invitationExplained')} style={{ marginBottom: 16 }} /> : null}
      {existing.isError ? <QueryErrorAlert error={existing.error} onRetry={() => void existing.refetch()} /> : null}
      {loadingExisting ? <Skeleton active /> : null}
      <Form<Values> form={form} name="account" layout="vertical" onFinish={submit} hidden={loadingExisting || existing.isError}>
        <Form.Item
          name="email"
          label={t('accounts.email')}
          rules={[
            { required: true, message: t('validation.emailRequired') },
            { type: 'email', message: t('validation.email') },
          ]}
        >
          <Input type="email" autoComplete="off" disabled={target?.mode === 'edit'} />
        </Form.Item>
        <Form.Item name="displayName" label={t('accounts.displayName')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={100} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="roleId"
          label={t('accounts.role')}
          rules={[{ required: true, message: t('accounts.roleRequired') }]}
          extra={isSelf ? t('accounts.cannotChangeOwnRole') : undefined}
        >
          <Select
            disabled={isSelf}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('accounts.rolePlaceholder')}
            // A role the signed-in account may not hand out is shown greyed, saying so, instead of refused on save.
            options={roles.map((role) =>
              canAssignRole(granter, role)
                ? { value: role.id, label: roleLabel(role) }
                : { value: role.id, label: `${roleLabel(role)}${t('accounts.roleNotAssignable')}`, disabled: true },
            )}
          />
        </Form.Item>
        <Form.Item name="allProperties" label={t('accounts.propertyScope')} hidden={!withProperties}>
          <Radio.Group
            options={[
              { value: true, label: t('accounts.allProperties') },
              { value: false, label: t('accounts.someProperties') },
            ]}
          />
        </Form.Item>
        {allProperties ? null : (
          <Form.Item name="propertyIds" label={t('accounts.properties')} rules={[{ required: true, type: 'array', min: 1, message: t('accounts.propertiesRequired') }]}>
            <Select
              mode="multiple"
              loading={properties.isPending}
              placeholder={t('accounts.propertiesPlaceholder')}
              showSearch={{ optionFilterProp: 'label' }}
              options={(properties.data ?? []).map((property) => ({ value: property.id, label: t('properties.option', { name: property.name, code: property.code }) }))}
            />
          </Form.Item>
        )}
        <Form.Item name="locale" label={t('accounts.locale')} extra={t('accounts.localeHelp')}>
          <Select options={LOCALES.map((locale) => ({ value: locale, label: t(`language.names.${locale}`) }))} />
        </Form.Item>
        <FormErrorAlert message={formError} />
      </Form>
    </Modal>
  );
}
