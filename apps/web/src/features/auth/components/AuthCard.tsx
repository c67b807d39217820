import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';

/** The single panel of every sign-in page. */
export function AuthCard({ title, description, children }: { title: ReactNode; description?: ReactNode; children: ReactNode }) {
  return (
    <Card style={{ width: '100%', maxWidth: 440, alignSelf: 'flex-start' }}>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {title}
      </Typography.Title>
      {description ? <Typography.Paragraph type="secondary">{description}</Typography.Paragraph> : null}
      {children}
    </Card>
  );
}
