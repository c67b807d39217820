import { Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { nameRules } from '../../../lib/name-rules.ts';
import { useFormError } from '../../../lib/use-form-error.ts';
import { useCreateSegment, useUpdateSegment, type Segment } from '../api.ts';
import type { SegmentDefinition } from '../../members/index.ts';

type Values = { name: string; description?: string };
const FIELDS = ['name', 'description'] as const;

export type SaveSegmentTarget = { mode: 'create'; definition: SegmentDefinition } | { mode: 'rename'; segment: Segment };

type Props = { target: SaveSegmentTarget | undefined; onClose: () => void; onSaved: (segment: Segment) => void };

/** Name (and describe) a new segment from conditions, or rename a saved one. */
export function SaveSegmentModal({ target, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const create = useCreateSegment();
  const update = useUpdateSegment();
  const { formError, onError, clearFormError } = useFormError(form, FIELDS);

  useEffect(() => {
    if (!target) return;
    clearFormError();
    form.resetFields();
    if (target.mode === 'rename') form.setFieldsValue({ name: target.segment.name, description: target.segment.description });
  }, [target, form, clearFormError]);

  const submit = (values: Values) => {
    clearFormError();
    const input = { name: values.name.trim(), description: (values.description ?? '').trim() };
    if (target?.mode === 'rename') update.mutate({ id: target.segment.id, ...input }, { onSuccess: onSaved, onError });
    else if (target) create.mutate({ ...input, definition: target.definition }, { onSuccess: onSaved, onError });
  };

  return (
    <Modal
      open={target !== undefined}
      title={target?.mode === 'rename' ? t('segments.renameTitle') : t('segments.saveTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      forceRender
    >
      <Form<Values> form={form} name="segment-name" layout="vertical" onFinish={submit}>
        <Form.Item name="name" label={t('segments.name')} rules={nameRules(t('validation.required'))}>
          <Input maxLength={100} autoComplete="off" />
        </Form.Item>
        <Form.Item name="description" label={t('segments.descriptionField')}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
        <FormErrorAlert message={formError} />
      </Form>
    </Modal>
  );
}
