import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

/** A labelled value (a URL to paste into LINE Developers) with a copy button; long URLs wrap. */
export function CopyableValue({ label, value, help, testId }: { label: ReactNode; value: string; help?: ReactNode; testId: string }) {
  return (
    <Flex vertical gap={2}>
      <Typography.Text strong>{label}</Typography.Text>
      <Typography.Text code copyable={{ text: value }} data-testid={testId} style={{ wordBreak: 'break-all' }}>
        {value}
      </Typography.Text>
      {help ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {help}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}
