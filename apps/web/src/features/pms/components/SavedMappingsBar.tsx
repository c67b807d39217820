import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Form, Input, Modal, Popconfirm, Select, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { cleanName } from '@innkeeper/contracts';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import { nameRules } from '../../../lib/name-rules.ts';
import { useFormError } from '../../../lib/use-form-error.ts';
import { useDeleteMapping, useSavedMappings, useSaveMapping, type ColumnMapping, type SavedMapping } from '../import-api.ts';
import { choicesOf, type ColumnChoices } from '../import-mapping.ts';

const MAPPING_FIELDS = ['name'] as const;

type Props = { connectionId: string; columns: string[]; mapping: ColumnMapping; onUse: (choices: ColumnChoices, deriveKey: boolean) => void };

/** The connection's saved mappings: use one for this file, save this one (new or under a name already there), delete. */
export function SavedMappingsBar({ connectionId, columns, mapping, onUse }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const saved = useSavedMappings(connectionId);
  const save = useSaveMapping(connectionId);
  const remove = useDeleteMapping(connectionId);
  const [chosen, setChosen] = useState<SavedMapping>();
  const [notInFile, setNotInFile] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ name: string }>();
  // The server's refusal of a name (taken, or no name) at the name field; anything else above the buttons.
  const { formError, onError, clearFormError } = useFormError(form, MAPPING_FIELDS);

  // A saved mapping whose columns are all in this file is used at once (the file of every month, or one left for later
  // and opened again): staff had to pick it each time, and a file opened again had lost the mapping chosen before.
  // Once per file, when the saved mappings are first read; of several, the one that maps the most columns.
  /** Uses a saved mapping for this file; says so, by hand or at once (`auto`), and which of its columns the file lacks. */
  const apply = (found: SavedMapping, auto: boolean) => {
    const { choices, notInFile: missing, deriveKey } = choicesOf(found.mapping, columns);
    setChosen(found);
    onUse(choices, deriveKey);
    setNotInFile(missing);
    if (missing.length === 0) void message.success(t(auto ? 'pmsImport.saved.autoApplied' : 'pmsImport.saved.applied', { name: found.name }));
  };
  const latestApply = useRef(apply);
  latestApply.current = apply;

  // A saved mapping whose columns are all in this file is used at once (the file of every month, or one left for later
  // and opened again): staff had to pick it each time, and a file opened again had lost the mapping chosen before.
  // Once, when the saved mappings are first read; of several, the one that maps the most columns.
  const fittingTried = useRef(false);
  useEffect(() => {
    if (fittingTried.current || !saved.data) return;
    fittingTried.current = true;
    const fitting = saved.data
      .filter((m) => choicesOf(m.mapping, columns).notInFile.length === 0)
      .sort((a, b) => Object.keys(b.mapping).length - Object.keys(a.mapping).length)[0];
    if (fitting) latestApply.current(fitting, true);
  }, [saved.data, columns]);

  const use = (id: string | undefined) => {
    const found = saved.data?.find((m) => m.id === id);
    setChosen(found);
    setNotInFile([]);
    if (found) apply(found, false);
  };

  const submit = async () => {
    const { name } = await form.validateFields();
    clearFormError();
    // The same name as the server keeps it (cleanName: 「每月匯出」 with an invisible mark pasted after it is 「每月匯出」;
    // browser review) updates that mapping. Only the same name: one alike but for case or width is left to the server,
    // which refuses it at the field, since this browser's Unicode tables may fold names the database keeps apart, and
    // another mapping would be overwritten (attack review 2026-12-08: 「𜳖BC」 renamed 「ABC」).
    const kept = cleanName(name);
    const same = saved.data?.find((m) => m.name === kept);
    save.mutate(
      { id: same?.id, name: kept, mapping },
      {
        onSuccess: (result) => {
          void message.success(t(same ? 'pmsImport.saved.updatedOk' : 'pmsImport.saved.savedOk', { name: result.name }));
          setChosen(result);
          setSaving(false);
        },
        onError,
      },
    );
  };

  return (
    <Flex vertical gap={8}>
      <Flex gap={8} align="center" wrap>
        <Typography.Text strong>{t('pmsImport.saved.label')}</Typography.Text>
        <Select<string>
          aria-label={t('pmsImport.saved.label')}
          style={{ minWidth: 240 }}
          placeholder={t('pmsImport.saved.placeholder')}
          value={chosen?.id}
          onChange={(id) => use(id ?? undefined)}
          allowClear
          loading={saved.isPending}
          notFoundContent={t('pmsImport.saved.empty')}
          options={(saved.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
          data-testid="pms-import-saved"
        />
        <Button
          icon={<SaveOutlined />}
          onClick={() => {
            form.setFieldsValue({ name: chosen?.name ?? '' });
            clearFormError();
            setSaving(true);
          }}
          data-testid="pms-import-save-mapping"
        >
          {t('pmsImport.saved.save')}
        </Button>
        {chosen ? (
          <Popconfirm
            title={t('pmsImport.saved.deleteConfirm', { name: chosen.name })}
            okText={t('pmsImport.saved.delete')}
            cancelText={t('pmsImport.saved.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() =>
              remove.mutate(chosen.id, {
                onSuccess: () => {
                  void message.success(t('pmsImport.saved.deleted', { name: chosen.name }));
                  setChosen(undefined);
                },
                onError: (failure) => void message.error(errorMessageOf(failure)),
              })
            }
          >
            <Button icon={<DeleteOutlined />} danger type="text" loading={remove.isPending}>
              {t('pmsImport.saved.delete')}
            </Button>
          </Popconfirm>
        ) : null}
      </Flex>
      {chosen && notInFile.length > 0 ? (
        <Alert type="warning" showIcon title={t('pmsImport.saved.notInFile', { name: chosen.name, columns: notInFile.map((c) => t('common.quoted', { text: c })).join(t('members.listSeparator')) })} data-testid="pms-import-not-in-file" />
      ) : null}
      {saved.isError ? <Alert type="error" showIcon title={errorMessageOf(saved.error)} /> : null}
      <Modal
        open={saving}
        title={t('pmsImport.saved.saveTitle')}
        okText={t('pmsImport.saved.ok')}
        cancelText={t('pmsImport.saved.cancel')}
        onOk={() => void submit().catch(() => undefined)}
        confirmLoading={save.isPending}
        onCancel={() => setSaving(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('pmsImport.saved.saveHelp')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={() => void submit().catch(() => undefined)}>
          <Form.Item name="name" label={t('pmsImport.saved.name')} rules={nameRules(t('pmsImport.saved.nameRequired'))}>
            <Input placeholder={t('pmsImport.saved.namePlaceholder')} maxLength={100} data-testid="pms-import-mapping-name" />
          </Form.Item>
        </Form>
        {formError ? <Alert type="error" showIcon role="alert" title={formError} /> : null}
      </Modal>
    </Flex>
  );
}
