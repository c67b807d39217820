import type { ReactNode } from 'react';

type Props = { icon?: ReactNode; spinner?: boolean; title: string; body?: ReactNode; children?: ReactNode; testId: string };

/** A whole-page state: loading, a problem, waiting for staff, closed. */
export function StateScreen({ icon, spinner, title, body, children, testId }: Props) {
  return (
    <section className="liff-section liff-state" data-testid={testId} aria-live="polite">
      {spinner ? <div className="liff-spinner" aria-hidden="true" /> : null}
      {icon ? (
        <div className="liff-state-icon" aria-hidden="true">
          {icon}
        </div>
      ) : null}
      <h2>{title}</h2>
      {body ? <p>{body}</p> : null}
      {children}
    </section>
  );
}
