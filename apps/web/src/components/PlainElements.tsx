import type { ComponentProps, ReactNode } from 'react';
import { customTagBackground, isPresetTagColor } from '../lib/tag-color.ts';
// The rules of the components drawn here (their part of antd's stylesheet, apps/web/antd-styles.ts): a page that draws
// these without rendering the component itself still gets them.
import 'virtual:antd-style/avatar.css';
import 'virtual:antd-style/checkbox.css';
import 'virtual:antd-style/tag.css';
import 'virtual:antd-style/typography.css';

// Ant Design's look, drawn with plain elements and the class names antd's own stylesheet styles (antd/dist/antd.css,
// see app/providers/theme.ts), for places that show many of them at once: the member list's 20–100 rows. Each antd
// Tag, Typography, Avatar or Checkbox runs a dozen hooks when it renders (theme tokens, semantic class names, CSS
// variable registration, resize observers for ellipsis and avatar text); in a warm load of 會員 that rendering was
// most of the time before the first row showed. Use antd's components wherever they do something (close buttons,
// editable or copyable text, measured ellipsis with a tooltip): these only draw.

type PlainTagProps = Omit<ComponentProps<'span'>, 'color'> & { color?: string | null; icon?: ReactNode };

/** antd's `<Tag color={color} icon={icon}>` (filled, not closable). */
export function PlainTag({ color, icon, children, className, style, ...rest }: PlainTagProps) {
  const preset = isPresetTagColor(color);
  const custom = color && !preset ? customTagBackground(color) : undefined;
  const classes = ['ant-tag', 'ant-tag-filled', preset ? `ant-tag-${color}` : custom ? '' : 'plain-tag-default', className ?? ''].filter(Boolean).join(' ');
  return (
    <span {...rest} className={classes} style={custom ? { backgroundColor: custom, color: color ?? undefined, ...style } : style}>
      {icon ? (
        <>
          {icon}
          <span>{children}</span>
        </>
      ) : (
        children
      )}
    </span>
  );
}

/** antd's `<Typography.Text type="secondary">`, optionally cut with an ellipsis on one line (CSS only, no tooltip). */
export function SecondaryText({ children, ellipsis, style, className }: { children: ReactNode; ellipsis?: boolean; style?: React.CSSProperties; className?: string }) {
  return (
    <span className={['ant-typography', 'ant-typography-secondary', ellipsis ? 'ant-typography-ellipsis ant-typography-ellipsis-single-line' : '', className ?? ''].filter(Boolean).join(' ')} style={style}>
      {children}
    </span>
  );
}

/** antd's `<Typography.Text ellipsis>`: one line, cut with an ellipsis (CSS only, no tooltip). */
export function EllipsisText({ children, style }: { children: ReactNode; style?: React.CSSProperties }) {
  return (
    <span className="ant-typography ant-typography-ellipsis ant-typography-ellipsis-single-line" style={style}>
      {children}
    </span>
  );
}

/** antd's `<Checkbox>` (checked or not, never indeterminate), e.g. for a table's row selection (`rowSelection.renderCell`). */
export function PlainCheckbox({ checked, ...input }: Omit<ComponentProps<'input'>, 'type' | 'className'> & { checked: boolean }) {
  return (
    <label className="ant-checkbox-wrapper">
      <span className={checked ? 'ant-checkbox ant-checkbox-checked' : 'ant-checkbox'}>
        <input {...input} type="checkbox" className="ant-checkbox-input" checked={checked} />
      </span>
    </label>
  );
}
