import { App } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBeforeUnload, useBlocker, useNavigate } from 'react-router';
import { errorMessageOf } from '../../../components/error-message.ts';
import { isApiError } from '../../../lib/api-error.ts';
import { issuesByPath, type Issues } from './field-issues.ts';

/**
 * Saving an editor's draft (a campaign, an automation rule): whether what is on screen differs from what was saved
 * last, and a save that creates (then moves to the new draft's address) or updates the version the editor started
 * from. The server's field issues come back by path for the inputs to show; any other error as one message.
 */
export function useDraftSave<I>(options: {
  input: I;
  /** What the editor opened with, as the input it would send. */
  initialInput: () => I;
  existing: { id: string; version: number } | undefined;
  create: (input: I) => Promise<{ id: string }>;
  update: (body: I & { id: string; version: number }) => Promise<unknown>;
  pathOf: (id: string) => string;
  savedText: () => string;
  fixErrorsText: string;
}) {
  const navigate = useNavigate();
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [saved, setSaved] = useState(() => JSON.stringify(options.initialInput()));
  const [issues, setIssues] = useState<Issues>(new Map());
  const [formError, setFormError] = useState<string>();
  const dirty = JSON.stringify(options.input) !== saved;

  // Leaving with unsaved changes (the menu, a link, back) asks first; a saved new draft moving to its own address does
  // not (`leaving`: the blocker still sees this render's `dirty` when the save navigates). Closing or reloading the tab
  // gets the browser's own question.
  const leaving = useRef(false);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && !leaving.current && currentLocation.pathname !== nextLocation.pathname);
  const asking = useRef(false);
  useEffect(() => {
    if (blocker.state !== 'blocked' || asking.current) return;
    asking.current = true;
    modal.confirm({
      title: t('common.unsavedLeave.title'),
      content: t('common.unsavedLeave.body'),
      okText: t('common.unsavedLeave.leave'),
      okButtonProps: { danger: true },
      cancelText: t('common.unsavedLeave.stay'),
      onOk: () => blocker.proceed(),
      onCancel: () => blocker.reset(),
      afterClose: () => (asking.current = false),
    });
  }, [blocker, modal, t]);
  useBeforeUnload((event) => {
    if (dirty) event.preventDefault();
  });

  const save = async () => {
    const { input, existing } = options;
    setIssues(new Map());
    setFormError(undefined);
    try {
      if (existing) {
        await options.update({ ...input, id: existing.id, version: existing.version });
        setSaved(JSON.stringify(input));
      } else {
        const created = await options.create(input);
        setSaved(JSON.stringify(input));
        leaving.current = true;
        void Promise.resolve(navigate(options.pathOf(created.id), { replace: true })).finally(() => (leaving.current = false));
      }
      void message.success(options.savedText());
    } catch (error) {
      if (isApiError(error) && error.issues.length > 0) {
        setIssues(issuesByPath(error.issues));
        setFormError(options.fixErrorsText);
      } else if (isApiError(error) && error.field) {
        // A refusal about one field (a rule's name another rule has): said at the field, and above the form too, in
        // case that field is not on screen.
        setIssues(new Map([[error.field, [error.message]]]));
        setFormError(error.message);
      } else {
        setFormError(errorMessageOf(error));
      }
    }
  };

  return { dirty, save, issues, formError };
}
