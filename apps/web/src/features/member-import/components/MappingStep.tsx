import { Alert, Button, Flex, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../lib/api-error.ts';
import { errorMessageOf } from '../../../components/error-message.ts';
import { formatInZone } from '../../../lib/datetime.ts';
import { columnLetter } from '../../../lib/spreadsheet.ts';
import { useCheckImport, type ImportField, type ImportMapping, type MemberImport, type UploadResponse } from '../api.ts';

type Props = { upload: UploadResponse; current: MemberImport; timeZone: string; onChecked: (result: MemberImport) => void; onRestart: () => void };

/** Each target field takes a column of the file (the server's suggestion first); unmapped fields are not imported. */
export function MappingStep({ upload, current, timeZone, onChecked, onRestart }: Props) {
  const { t } = useTranslation();
  const check = useCheckImport();
  const [mapping, setMapping] = useState<ImportMapping>(() => current.mapping ?? upload.suggestedMapping);
  const [error, setError] = useState<string>();
  const [fieldIssues, setFieldIssues] = useState<Record<string, string>>({});
  const columns = current.columns;

  const sample = (index: number) =>
    upload.sampleRows
      .map((row) => row.cells[index] ?? '')
      .filter(Boolean)
      .slice(0, 2)
      .join(t('members.listSeparator'));
  const columnLabel = (index: number) => t('common.labelValue', { label: columnLetter(index), value: columns[index]?.header || t('memberImport.mapping.noHeader') });

  const used = useMemo(() => {
    const counts = new Map<number, number>();
    for (const index of Object.values(mapping)) counts.set(index, (counts.get(index) ?? 0) + 1);
    return counts;
  }, [mapping]);
  const hasKey = upload.fields.some((field) => field.key && mapping[field.field] !== undefined);
  const missingRequired = upload.fields.filter((field) => field.required && mapping[field.field] === undefined);
  const twice = [...used.values()].some((count) => count > 1);

  const setField = (field: string, index: number | undefined) => {
    setFieldIssues((previous) => ({ ...previous, [field]: '' }));
    setMapping((previous) => {
      const next = { ...previous };
      if (index === undefined) delete next[field];
      else next[field] = index;
      return next;
    });
  };

  const submit = () => {
    setError(undefined);
    setFieldIssues({});
    check.mutate(
      { id: current.id, mapping },
      {
        onSuccess: onChecked,
        onError: (failure) => {
          const issues = isApiError(failure) ? failure.issues : [];
          const perField: Record<string, string> = {};
          const general: string[] = [];
          for (const issue of issues) {
            const field = issue.path.startsWith('mapping.') ? issue.path.slice('mapping.'.length) : undefined;
            if (field) perField[field] = issue.message;
            else general.push(issue.message);
          }
          setFieldIssues(perField);
          setError(general.length > 0 ? general.join(' ') : errorMessageOf(failure));
        },
      },
    );
  };

  const fieldColumns: TableColumnsType<ImportField> = [
    {
      title: t('memberImport.mapping.field'),
      dataIndex: 'label',
      width: 220,
      render: (label: string, field) => (
        <Flex gap={4} wrap align="center">
          <Typography.Text strong>{label}</Typography.Text>
          {field.required ? <Tag color="red">{t('memberImport.mapping.required')}</Tag> : null}
          {field.key ? <Tag color="blue">{t('memberImport.mapping.key')}</Tag> : null}
        </Flex>
      ),
    },
    {
      title: t('memberImport.mapping.column'),
      key: 'column',
      render: (_, field) => {
        const index = mapping[field.field];
        const issue = fieldIssues[field.field] || (index !== undefined && (used.get(index) ?? 0) > 1 ? t('memberImport.mapping.usedTwice') : '');
        return (
          <Flex vertical gap={2}>
            <Select<number>
              aria-label={t('memberImport.mapping.columnFor', { field: field.label })}
              data-testid={`mapping-${field.field}`}
              value={index}
              onChange={(value) => setField(field.field, value ?? undefined)}
              allowClear
              placeholder={t('memberImport.mapping.skip')}
              status={issue ? 'error' : undefined}
              style={{ width: '100%', maxWidth: 360 }}
              options={columns.map((column) => ({ value: column.index, label: columnLabel(column.index) }))}
            />
            {issue ? <Typography.Text type="danger" style={{ fontSize: 12 }}>{issue}</Typography.Text> : null}
          </Flex>
        );
      },
    },
    {
      title: t('memberImport.mapping.sample'),
      key: 'sample',
      width: 260,
      render: (_, field) => {
        const index = mapping[field.field];
        const text = index === undefined ? '' : sample(index);
        return text ? <Typography.Text type="secondary" ellipsis style={{ maxWidth: 240 }}>{text}</Typography.Text> : <Typography.Text type="secondary">—</Typography.Text>;
      },
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Typography.Paragraph style={{ margin: 0 }}>
        {t('memberImport.mapping.intro', { file: current.fileName, rows: current.totalRows, row: upload.headerRow })}
      </Typography.Paragraph>
      {upload.exampleRows.length > 0 ? (
        <Alert type="info" showIcon data-testid="import-example-skipped" title={t('memberImport.mapping.exampleSkipped', { rows: upload.exampleRows.join(t('members.listSeparator')), count: upload.exampleRows.length })} />
      ) : null}
      {upload.previousImports.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          title={t('memberImport.mapping.sameFile')}
          description={upload.previousImports.map((previous) => t('memberImport.mapping.sameFileItem', { time: formatInZone(previous.createdAt, timeZone), status: t(`memberImport.status.${previous.status}`) })).join('；')}
        />
      ) : null}
      <Table<ImportField> rowKey="field" size="small" columns={fieldColumns} dataSource={upload.fields} pagination={false} data-testid="import-mapping" />
      {!hasKey ? <Alert type="warning" showIcon title={t('memberImport.mapping.needKey')} /> : null}
      {missingRequired.length > 0 ? <Alert type="warning" showIcon title={t('memberImport.mapping.needRequired', { fields: missingRequired.map((field) => field.label).join(t('members.listSeparator')) })} /> : null}
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('memberImport.mapping.preview')}
      </Typography.Title>
      <Table
        rowKey="rowNumber"
        size="small"
        pagination={false}
        scroll={{ x: Math.max(600, columns.length * 140) }}
        dataSource={upload.sampleRows}
        columns={[
          { title: t('memberImport.mapping.row'), dataIndex: 'rowNumber', width: 60, fixed: 'start' },
          ...columns.map((column) => ({
            title: columnLabel(column.index),
            key: String(column.index),
            width: 140,
            ellipsis: true,
            render: (_: unknown, row: { cells: string[] }) => row.cells[column.index] ?? '',
          })),
        ]}
      />
      {error ? <Alert type="error" showIcon role="alert" title={error} /> : null}
      <Flex gap={8} justify="flex-end">
        <Button onClick={onRestart}>{t('memberImport.restart')}</Button>
        <Button type="primary" onClick={submit} loading={check.isPending} disabled={!hasKey || missingRequired.length > 0 || twice}>
          {t('memberImport.mapping.check')}
        </Button>
      </Flex>
    </Flex>
  );
}
