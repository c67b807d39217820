import { App } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
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
  const { message } = App.useApp();
  const [saved, setSaved] = useState(() => JSON.stringify(options.initialInput()));
  const [issues, setIssues] = useState<Issues>(new Map());
  const [formError, setFormError] = useState<string>();
  const dirty = JSON.stringify(options.input) !== saved;

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
        void navigate(options.pathOf(created.id), { replace: true });
      }
      void message.success(options.savedText());
    } catch (error) {
      if (isApiError(error) && error.issues.length > 0) {
        setIssues(issuesByPath(error.issues));
        setFormError(options.fixErrorsText);
      } else {
        setFormError(errorMessageOf(error));
      }
    }
  };

  return { dirty, save, issues, formError };
}
