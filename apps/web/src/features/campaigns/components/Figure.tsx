import { Statistic } from 'antd';
import type { ReactNode } from 'react';

/**
 * One figure of a campaign's send or clicks: its label over its value, each kept on one line so a number is never
 * broken apart (at 390 px the figures wrap as wholes).
 */
export function Figure({ label, value, testId }: { label: ReactNode; value: string; testId?: string }) {
  return (
    <Statistic
      title={<span style={{ whiteSpace: 'nowrap' }}>{label}</span>}
      value={value}
      formatter={() => (
        <span data-testid={testId} style={{ whiteSpace: 'nowrap' }}>
          {value}
        </span>
      )}
      styles={{ content: { fontSize: 20 } }}
    />
  );
}
