import { Typography } from 'antd';
import { isSafeLink, splitMailText } from '../../lib/mail-text.ts';

/** A plain-text mail with its links clickable and its sign-in code easy to spot and copy. Text only, never HTML. */
export function MailBody({ text, codeTestId = 'mail-code' }: { text: string; codeTestId?: string }) {
  return (
    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', marginBottom: 0 }}>
      {splitMailText(text).map((part, index) => {
        if (part.kind === 'code') {
          return (
            <Typography.Text key={index} code copyable strong style={{ fontSize: 18 }} data-testid={codeTestId}>
              {part.value}
            </Typography.Text>
          );
        }
        if (part.kind === 'link' && isSafeLink(part.value)) {
          const sameSite = new URL(part.value).origin === window.location.origin;
          return (
            <a key={index} href={part.value} data-testid="mail-link" {...(sameSite ? {} : { target: '_blank', rel: 'noopener noreferrer' })}>
              {part.value}
            </a>
          );
        }
        return <span key={index}>{part.value}</span>;
      })}
    </Typography.Paragraph>
  );
}
