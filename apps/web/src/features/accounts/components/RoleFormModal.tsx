import type { TenantPermission } from '@innkeeper/contracts';
import { cleanName, isTenantPermission } from '@innkeeper/contracts';
import { Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { nameRules } from '../../../lib/name-rules.ts';
import { useFormError } from '../../../lib/use-form-error.ts';
import { useCreateRole, useUpdateRole, type Role, type RoleInput } from '../api/roles.ts';
import { PermissionChecklist } from './PermissionChecklist.tsx';

const FIELDS = ['name', 'description', 'permissions'] as const;

export type RoleFormTarget = { mode: 'create' } | { mode: 'edit'; role: Role };

type Props = { target: RoleFormTarget | undefined; onClose: () => void; onSaved: (role: { name: string }) => void };

export function RoleFormModal({ target, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RoleInput>();
  const { can } = useSession();
  const create = useCreateRole();
  const update = useUpdateRole();
  const { formError, onError, clearFormError } = useFormError(form, FIELDS);

  useEffect(() => {
    if (!target) return;
    clearFormError();
    form.resetFields();
    if (target.mode === 'edit') {
      const permissions: TenantPermission[] = target.role.permissions.filter(isTenantPermission);
      form.setFieldsValue({ name: target.role.name, description: target.role.description, permissions });
    } else {
      form.setFieldsValue({ name: '', description: '', permissions: [] });
    }
  }, [target, form, clearFormError]);

  const submit = (values: RoleInput) => {
    clearFormError();
    const input = { name: cleanName(values.name), description: (values.description ?? '').trim(), permissions: values.permissions ?? [] };
    if (target?.mode === 'edit') update.mutate({ id: target.role.id, ...input }, { onSuccess: onSaved, onError });
    else create.mutate(input, { onSuccess: onSaved, onError });
  };

  return (
    <Modal
      open={target !== undefined}
      title={target?.mode === 'edit' ? t('roles.editTitle') : t('roles.createTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      forceRender
      width={640}
    >
      <Form<RoleInput> form={form} name="role" layout="vertical" onFinish={submit} scrollToFirstError={{ block: 'center', focus: true }}>
        <Form.Item name="name" label={t('roles.name')} rules={nameRules(t('validation.required'))}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={t('roles.description')}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
        <Form.Item name="permissions" label={t('roles.permissions')} extra={t('roles.permissionsHelp')}>
          <PermissionChecklist held={can} />
        </Form.Item>
        <FormErrorAlert message={formError} />
      </Form>
    </Modal>
  );
}
