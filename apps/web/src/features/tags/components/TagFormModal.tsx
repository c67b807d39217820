import { nameLength } from '@innkeeper/contracts';
import { AutoComplete, Form, Input, InputNumber, Modal, Radio, type ButtonProps } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { nameRules } from '../../../lib/name-rules.ts';
import { useFormError } from '../../../lib/use-form-error.ts';
import { useCreateTag, useUpdateTag, type Tag, type TagInput, type TagKind } from '../api.ts';
import { TagColorPicker } from './TagColorPicker.tsx';

type Values = { name: string; kind: TagKind; category?: string; color: string; description?: string; validityDays?: number | null };
const FIELDS = ['name', 'kind', 'category', 'color', 'description', 'validityDays'] as const;

export type TagFormTarget = { mode: 'create'; kind?: TagKind | undefined } | { mode: 'edit'; tag: Tag };

type Props = { target: TagFormTarget | undefined; categories: string[]; onClose: () => void; onSaved: (tag: Tag, mode: 'create' | 'edit') => void };

export function TagFormModal({ target, categories, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const create = useCreateTag();
  const update = useUpdateTag();
  const { formError, onError, clearFormError } = useFormError(form, FIELDS);
  const name = Form.useWatch('name', form);

  useEffect(() => {
    if (!target) return;
    clearFormError();
    form.resetFields();
    if (target.mode === 'edit') {
      const { tag } = target;
      form.setFieldsValue({ name: tag.name, kind: tag.kind, category: tag.category, color: tag.color, description: tag.description, validityDays: tag.validityDays });
    } else {
      form.setFieldsValue({ kind: target.kind ?? 'basic', color: 'blue', validityDays: null });
    }
  }, [target, form, clearFormError]);

  const submit = (values: Values) => {
    clearFormError();
    const input: TagInput = {
      name: values.name.trim(),
      kind: values.kind,
      category: (values.category ?? '').trim(),
      color: values.color,
      description: (values.description ?? '').trim(),
      validityDays: values.validityDays ?? null,
    };
    if (target?.mode === 'edit') update.mutate({ id: target.tag.id, ...input }, { onSuccess: (tag) => onSaved(tag, 'edit'), onError });
    else create.mutate(input, { onSuccess: (tag) => onSaved(tag, 'create'), onError });
  };

  return (
    <Modal
      open={target !== undefined}
      title={target?.mode === 'edit' ? t('tags.form.editTitle') : t('tags.form.createTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={{ 'data-testid': 'tag-form-submit' } as ButtonProps}
      forceRender
      width={560}
    >
      <Form<Values> form={form} name="tag" layout="vertical" onFinish={submit}>
        <Form.Item name="name" label={t('tags.form.name')} rules={[
            ...nameRules(t('validation.required')),
            // Counted as the server counts (nameLength): some typed characters are two once the name is kept.
            { validator: (_, value?: string) => (nameLength(value ?? '') > 50 ? Promise.reject(new Error(t('validation.nameMax', { max: 50 }))) : Promise.resolve()) },
          ]}>
          <Input count={{ show: true, max: 50, strategy: nameLength }} autoComplete="off" />
        </Form.Item>
        <Form.Item name="kind" label={t('tags.form.kind')} extra={t('tags.form.kindHelp')}>
          <Radio.Group
            options={[
              { value: 'basic', label: t('tags.kind.basic') },
              { value: 'campaign', label: t('tags.kind.campaign') },
            ]}
          />
        </Form.Item>
        <Form.Item name="category" label={t('tags.form.category')} extra={t('tags.form.categoryHelp')}>
          <AutoComplete
            maxLength={50}
            options={categories.map((category) => ({ value: category }))}
            showSearch={{ filterOption: (input, option) => String(option?.value ?? '').toLowerCase().includes(input.toLowerCase()) }}
          />
        </Form.Item>
        <Form.Item name="color" label={t('tags.form.color')}>
          <TagColorPicker preview={name} />
        </Form.Item>
        <Form.Item name="description" label={t('tags.form.description')}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
        <Form.Item name="validityDays" label={t('tags.form.validityDays')} extra={t('tags.form.validityHelp')}>
          <InputNumber<number> min={1} max={3650} precision={0} placeholder={t('tags.form.noExpiry')} suffix={t('segments.editor.days')} style={{ width: 200 }} />
        </Form.Item>
        <FormErrorAlert message={formError} />
      </Form>
    </Modal>
  );
}
