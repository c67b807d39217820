import { Alert, App, Button, Checkbox, Flex, Popconfirm, Skeleton, Steps, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import type { PmsConnection } from '../api.ts';
import { useApplyImport, useDiscardImport, useImportDryRun, usePmsImport, type ColumnMapping, type PmsDryRun, type PmsImport } from '../import-api.ts';
import { choicesOf, mappingOf, problemsOf, sameMapping, type ColumnChoices, type ImportField, type MappingProblem } from '../import-mapping.ts';
import { DryRunFigures } from './DryRunFigures.tsx';
import { ImportColumnsTable } from './ImportColumnsTable.tsx';
import { SavedMappingsBar } from './SavedMappingsBar.tsx';

type Props = { connection: PmsConnection; fileId: string; onClose: () => void };

/** A file waiting for its mapping: loaded (again, after a reload) and shown, or why it can no longer be. */
export function ImportWizard({ connection, fileId, onClose }: Props) {
  const { t } = useTranslation();
  const query = usePmsImport(connection.id, fileId);
  if (query.isPending) return <Skeleton active />;
  if (query.isError) {
    const gone = (query.error as { code?: string }).code === 'pms.import_not_found';
    return (
      <Alert
        type={gone ? 'warning' : 'error'}
        showIcon
        title={gone ? t('pmsImport.notFound') : errorMessageOf(query.error)}
        action={<Button onClick={onClose}>{t('pmsImport.backToStart')}</Button>}
        data-testid="pms-import-gone"
      />
    );
  }
  return <MappingSteps connection={connection} upload={query.data} onClose={onClose} />;
}

/** Map → dry run → import. A dry run's figures hold for the mapping it ran; a change asks for another. */
function MappingSteps({ connection, upload, onClose }: { connection: PmsConnection; upload: PmsImport; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const columns = upload.columns;
  const [choices, setChoices] = useState<ColumnChoices>(() => choicesOf(upload.suggestedMapping, columns).choices);
  // A file without a guest number: the number is made from the ID, else mobile and name (import-mapping KEY_SOURCES).
  const [deriveKey, setDeriveKey] = useState(false);
  const [tried, setTried] = useState<{ mapping: ColumnMapping; result: PmsDryRun }>();
  const [error, setError] = useState<string>();
  const dryRun = useImportDryRun(connection.id);
  const apply = useApplyImport(connection.id);
  const discard = useDiscardImport(connection.id);

  const mapping = useMemo(() => mappingOf(choices, columns, deriveKey), [choices, columns, deriveKey]);
  const problems = useMemo(() => problemsOf(choices, columns, deriveKey), [choices, columns, deriveKey]);
  const keyChosen = Object.values(choices).includes('guestKey');
  const current = tried && sameMapping(tried.mapping, mapping) ? tried.result : undefined;
  const fieldName = (field: ImportField) => t(`pmsImport.fields.${field}`);
  const problemText = (problem: MappingProblem) => {
    if (problem.kind === 'required') return t('pmsImport.problems.required', { field: fieldName(problem.field) });
    if (problem.kind === 'deriveNeeds') return t('pmsImport.problems.deriveNeeds');
    if (problem.kind === 'twice') return t('pmsImport.problems.twice', { field: fieldName(problem.field), columns: problem.columns.map((c) => t('common.quoted', { text: c })).join(t('members.listSeparator')) });
    return t('pmsImport.problems.paired', { field: fieldName(problem.field), missing: fieldName(problem.missing) });
  };

  const runDryRun = () => {
    setError(undefined);
    const sent = mapping;
    dryRun.mutate({ fileId: upload.file.id, mapping: sent }, { onSuccess: (result) => setTried({ mapping: sent, result }), onError: (failure) => setError(errorMessageOf(failure)) });
  };
  const runApply = () => {
    setError(undefined);
    apply.mutate(
      { fileId: upload.file.id, mapping },
      {
        onSuccess: (answer) => {
          void message.success(t(answer.run ? 'pmsImport.apply.started' : 'pmsImport.apply.queued', { name: upload.file.name }));
          onClose();
        },
        onError: (failure) => setError(errorMessageOf(failure)),
      },
    );
  };
  const runDiscard = () =>
    discard.mutate(upload.file.id, {
      onSuccess: () => {
        void message.success(t('pmsImport.discarded', { name: upload.file.name }));
        onClose();
      },
      onError: (failure) => setError(errorMessageOf(failure)),
    });

  const step = current ? 2 : 1;
  return (
    <Flex vertical gap={16} data-testid="pms-import-wizard">
      <Steps
        size="small"
        current={step}
        items={[{ title: t('pmsImport.steps.upload') }, { title: t('pmsImport.steps.map') }, { title: t('pmsImport.steps.dryRun') }, { title: t('pmsImport.steps.apply') }]}
      />
      <Typography.Paragraph style={{ margin: 0 }}>{t('pmsImport.fileSummary', { name: upload.file.name, count: upload.file.rowsTotal })}</Typography.Paragraph>
      <SavedMappingsBar
        connectionId={connection.id}
        columns={columns}
        mapping={mapping}
        onUse={(used, derive) => {
          setChoices(used);
          setDeriveKey(derive);
        }}
      />
      <Typography.Text type="secondary">{t('pmsImport.requiredLegend')}</Typography.Text>
      {/* Offered while no column is the guest number, or while it is on: turning it on would otherwise hide a choice. */}
      {!keyChosen || deriveKey ? (
        <Flex vertical gap={2}>
          <Checkbox
            checked={deriveKey}
            onChange={(event) => {
              setDeriveKey(event.target.checked);
              // No column is the guest number itself any more.
              if (event.target.checked) setChoices((previous) => Object.fromEntries(Object.entries(previous).filter(([, field]) => field !== 'guestKey')));
            }}
            data-testid="pms-import-derive-key"
          >
            {t('pmsImport.deriveKey.label')}
          </Checkbox>
          <Typography.Text type="secondary" style={{ paddingInlineStart: 24 }}>
            {t('pmsImport.deriveKey.help')}
          </Typography.Text>
        </Flex>
      ) : null}
      <ImportColumnsTable upload={upload} choices={choices} problems={problems} deriveKey={deriveKey} onChange={(index, field) => setChoices((previous) => ({ ...previous, [index]: field }))} />
      {problems.length > 0 ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={t('pmsImport.problems.title')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {problems.map((problem) => (
                <li key={`${problem.kind}-${problem.kind === 'deriveNeeds' ? '' : problem.field}`}>{problemText(problem)}</li>
              ))}
            </ul>
          }
          data-testid="pms-import-problems"
        />
      ) : null}
      {tried && !current ? <Alert type="warning" showIcon title={t('pmsImport.dryRun.stale')} data-testid="pms-import-stale" /> : null}
      {current ? <DryRunFigures result={current} /> : null}
      {error ? <Alert type="error" showIcon role="alert" title={error} data-testid="pms-import-error" /> : null}
      <Flex gap={8} justify="space-between" wrap>
        <Flex gap={8} wrap>
          <Button onClick={onClose} data-testid="pms-import-later">
            {t('pmsImport.later')}
          </Button>
          <Popconfirm title={t('pmsImport.discardConfirm', { name: upload.file.name })} okText={t('pmsImport.discard')} cancelText={t('pmsImport.apply.cancel')} okButtonProps={{ danger: true }} onConfirm={runDiscard}>
            <Button danger loading={discard.isPending} data-testid="pms-import-discard">
              {t('pmsImport.discard')}
            </Button>
          </Popconfirm>
        </Flex>
        <Flex gap={8} align="center" wrap>
          {!current ? <Typography.Text type="secondary">{problems.length > 0 ? null : t('pmsImport.dryRun.help')}</Typography.Text> : null}
          <Button onClick={runDryRun} loading={dryRun.isPending} disabled={problems.length > 0} type={current ? 'default' : 'primary'} data-testid="pms-import-dry-run">
            {t('pmsImport.dryRun.run')}
          </Button>
          <Popconfirm title={t('pmsImport.apply.confirm', { name: upload.file.name })} okText={t('pmsImport.apply.ok')} cancelText={t('pmsImport.apply.cancel')} onConfirm={runApply} disabled={!current}>
            <Button type="primary" disabled={!current} loading={apply.isPending} title={current ? undefined : t('pmsImport.apply.needDryRun')} data-testid="pms-import-apply">
              {t('pmsImport.apply.run')}
            </Button>
          </Popconfirm>
        </Flex>
      </Flex>
    </Flex>
  );
}
