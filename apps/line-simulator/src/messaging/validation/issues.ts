import type { ZodError } from 'zod';
import { invalidProperty, type LineError, type LineErrorDetail, lineError, requestBodyErrors } from '../../http/errors.ts';

type Issue = ZodError['issues'][number];
type PathKey = Issue['path'][number];

// LINE reports request-level problems (bean validation on the envelope) as
// "The request body has N error(s)" with Java-style property paths like messages[0].text.
export function toBodyPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

// Deeper message-object problems come back as "A message (messages[i]) in the request body is invalid"
// with JSON-pointer properties relative to the message (seen in real LINE responses).
export function toPointer(path: readonly PathKey[]): string {
  return `/${path.map(String).join('/')}`;
}

const hasInput = (issue: Issue): boolean => 'input' in issue && issue.input !== undefined;

function unionOptions(issue: Issue): string[] | null {
  if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) return issue.options.map(String);
  return null;
}

/** Map envelope issues; a JSON type mismatch wins, as LINE's deserializer fails before validation. */
export function bodyIssuesToError(issues: readonly Issue[], prefix: readonly PathKey[] = []): LineError {
  const mismatch = issues.find((i) => i.code === 'invalid_type' && hasInput(i));
  if (mismatch) return invalidProperty(`'${toBodyPath([...prefix, ...mismatch.path])}'`);
  return requestBodyErrors(issues.map((i) => bodyDetail(i, prefix)));
}

export function bodyDetail(issue: Issue, prefix: readonly PathKey[] = []): LineErrorDetail {
  const property = toBodyPath([...prefix, ...issue.path]);
  return { message: bodyMessage(issue), property };
}

function bodyMessage(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return hasInput(issue) ? 'Invalid value' : 'May not be empty';
    case 'invalid_value':
      return `Must be one of the following values: [${issue.values.map(String).join(', ')}]`;
    case 'invalid_union': {
      const options = unionOptions(issue);
      const input = 'input' in issue ? (issue.input as Record<string, unknown> | undefined) : undefined;
      if (options && (input?.['type'] === undefined || input?.['type'] === null)) return 'May not be empty';
      return options ? `Must be one of the following values: [${options.join(', ')}]` : 'Invalid value';
    }
    default:
      return issue.message;
  }
}

export function messageIssuesToError(index: number, issues: readonly Issue[], base = 'messages'): LineError {
  const details = issues.map((issue) => ({ message: messageMessage(issue), property: toPointer(issue.path) }));
  return lineError(400, `A message (${base}[${index}]) in the request body is invalid`, details);
}

function messageMessage(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return hasInput(issue) ? 'invalid property' : 'must be specified';
    case 'invalid_value':
      return `must be one of the following values: [${issue.values.map(String).join(', ')}]`;
    case 'invalid_union': {
      const input = 'input' in issue ? (issue.input as Record<string, unknown> | undefined) : undefined;
      if (unionOptions(issue) && input?.['type'] === undefined) return 'must be specified';
      return 'invalid property';
    }
    case 'unrecognized_keys':
      return 'invalid property';
    default:
      return issue.message;
  }
}
