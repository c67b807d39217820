import { Flex, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { columnLetter } from '../../../lib/spreadsheet.ts';
import type { PmsImport } from '../import-api.ts';
import { GUEST_FIELDS, REQUIRED_FIELDS, sampleCell, STAY_FIELDS, usableColumn, type ColumnChoices, type ImportField, type MappingProblem } from '../import-mapping.ts';

type Row = { index: number; header: string; examples: string[] };
type Props = { upload: PmsImport; choices: ColumnChoices; problems: MappingProblem[]; deriveKey?: boolean; onChange: (index: number, field: ImportField | undefined) => void };

/**
 * One row per column of the file: its name, a few examples and what it is imported as. The examples are masked by the
 * field chosen: IDs, phones and e-mail addresses stay masked; dates, counts and room types show as typed.
 */
export function ImportColumnsTable({ upload, choices, problems, deriveKey = false, onChange }: Props) {
  const { t } = useTranslation();
  const twice = new Set(problems.flatMap((p) => (p.kind === 'twice' ? [p.field] : [])));
  const rows: Row[] = upload.columns.map((header, index) => ({
    index,
    header,
    examples: upload.sample
      .map((cells, at) => sampleCell(cells[index] ?? '', upload.samplePlain[at]?.[index], choices[index]))
      .filter(Boolean)
      .slice(0, 3),
  }));
  const option = (field: ImportField) => ({
    value: field,
    // The guest number made from the ID or mobile: no column is the number itself.
    disabled: deriveKey && field === 'guestKey',
    label: REQUIRED_FIELDS.includes(field) ? t('common.withNote', { value: t(`pmsImport.fields.${field}`), note: t('pmsImport.required') }) : t(`pmsImport.fields.${field}`),
  });
  const options = [
    { label: t('pmsImport.groups.guest'), options: GUEST_FIELDS.map(option) },
    { label: t('pmsImport.groups.stay'), options: STAY_FIELDS.map(option) },
  ];

  const columns: TableColumnsType<Row> = [
    {
      title: t('pmsImport.columns.column'),
      key: 'column',
      width: 220,
      render: (_, row) => (
        <Flex gap={6} align="center" wrap>
          <Tag>{columnLetter(row.index)}</Tag>
          <Typography.Text strong>{row.header || '—'}</Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('pmsImport.columns.sample'),
      key: 'sample',
      render: (_, row) =>
        row.examples.length > 0 ? (
          <Typography.Text type="secondary" ellipsis style={{ maxWidth: 320 }} data-testid={`pms-import-sample-${row.index}`}>
            {row.examples.join(t('members.listSeparator'))}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      title: t('pmsImport.columns.field'),
      key: 'field',
      width: 320,
      render: (_, row) => {
        if (!usableColumn(upload.columns, row.index)) return <Typography.Text type="secondary">{t('pmsImport.unusableHeader')}</Typography.Text>;
        const field = choices[row.index];
        const doubled = field !== undefined && twice.has(field);
        return (
          <Select<ImportField>
            aria-label={t('pmsImport.columnFor', { column: row.header })}
            data-testid={`pms-import-field-${row.index}`}
            value={field}
            onChange={(value) => onChange(row.index, value ?? undefined)}
            allowClear
            placeholder={t('pmsImport.skip')}
            status={doubled ? 'error' : undefined}
            options={options}
            virtual={false}
            style={{ width: '100%' }}
          />
        );
      },
    },
  ];

  return <Table<Row> rowKey="index" size="small" columns={columns} dataSource={rows} pagination={false} scroll={{ x: 760 }} data-testid="pms-import-columns" />;
}
