import { Checkbox, ConfigProvider, Empty, Pagination, Spin } from 'antd';
import useCSSVarCls from 'antd/es/config-provider/hooks/useCSSVarCls';
import useTableStyle from 'antd/es/table/style';
import { useContext, useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PlainCheckbox, PlainTag, SecondaryText } from '../../../components/PlainElements.tsx';
import { formatInZone, fromNow } from '../../../lib/datetime.ts';
import { PAGE_SIZES } from '../../../lib/page.ts';
import { TagChips } from '../../tags/index.ts';
import { fullName, type MemberListItem, type MemberSearchPage } from '../../members/index.ts';
import { LineIdentity } from './LineIdentity.tsx';
// antd's Table's rules: the list below is drawn in its markup and class names.
import 'virtual:antd-style/table.css';

type Props = {
  page: MemberSearchPage | undefined;
  /** The audience size from /api/members/count; undefined while it loads. */
  total: number | undefined;
  loading: boolean;
  filtered: boolean;
  /** A line under the empty result's message (e.g. how a masked search matches). */
  emptyHint?: string | undefined;
  timeZone: string;
  selectable: boolean;
  selectedIds: string[];
  onSelect: (ids: string[]) => void;
  onPageChange: (page: number, pageSize: number) => void;
  currentPage: number;
  pageSize: number;
};

/**
 * The columns' widths, as antd's `columns[].width` gave them (tags take what is left); the table is 960 px at least, so
 * that it fits a 1280 px window with the menu open: at 1,100 it scrolled there and 最近互動 read 「2026-12-0」
 * (browser review). The date column holds a whole date and time on one line.
 */
const WIDTHS = [100, 120, 190, 180, 90, undefined, 150];
const MIN_WIDTH = 960;
const MEASURE_CELL = { paddingTop: 0, paddingBottom: 0, borderTop: 0, borderBottom: 0, height: 0 };
const MEASURE_CONTENT = { height: 0, overflow: 'hidden', fontWeight: 'bold' } as const;

/**
 * The member list: antd's `<Table size="middle" scroll={{ x: 960 }} rowSelection pagination>` drawn as its own markup
 * and class names (antd's stylesheet styles them, its Table's style hook writes the table's tokens), with antd's
 * Checkbox, Pagination, Spin and Empty where it drew them. A cold load of 會員 spent ~150 ms of its ~800 in antd's
 * Table for 20 rows: its column, selection, sorter, filter and pagination hooks, rc-table's contexts for every cell,
 * and the layouts it forces to measure the scroll width and the columns (a hidden measuring row). The list uses none
 * of those features: the columns have fixed widths, nothing is sticky or fixed, sorting and filtering are the page's.
 */
export function MembersTable({ page, total, loading, filtered, emptyHint, timeZone, selectable, selectedIds, onSelect, onPageChange, currentPage, pageSize }: Props) {
  const { t } = useTranslation();
  const rows = page?.data ?? [];
  // Until the count arrives, the pager knows only whether there is a next page.
  const knownTotal = total ?? (currentPage - 1) * pageSize + rows.length + (page?.hasMore ? 1 : 0);
  const prefixCls = useContext(ConfigProvider.ConfigContext).getPrefixCls('table');
  const rootCls = useCSSVarCls(prefixCls);
  const [hashId, cssVarCls] = useTableStyle(prefixCls, rootCls);
  const tableRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  // The shadow at the edge that hides columns on a narrow window (antd's `-fix-start/end-shadow-show`), first set by the
  // resize observer's first report, which comes after the browser's own layout: measuring in the effect itself forced
  // the page's first layout there (~40 ms in a cold load's profile), before the rows were ready to paint.
  useEffect(() => {
    const table = tableRef.current;
    const scroller = scrollRef.current;
    if (!table || !scroller) return;
    const update = () => {
      const { scrollLeft, scrollWidth, clientWidth } = scroller;
      table.classList.toggle(`${prefixCls}-fix-start-shadow-show`, scrollLeft > 0);
      table.classList.toggle(`${prefixCls}-fix-end-shadow-show`, scrollLeft < scrollWidth - clientWidth - 1);
    };
    scroller.addEventListener('scroll', update, { passive: true });
    const observer = new ResizeObserver(update);
    observer.observe(scroller);
    return () => {
      scroller.removeEventListener('scroll', update);
      observer.disconnect();
    };
  }, [prefixCls]);

  const selected = new Set(selectedIds);
  const pageKeys = rows.map((member) => member.id);
  const pageSelected = pageKeys.filter((id) => selected.has(id)).length;
  // Shift+click works on the rows between the last one checked and this one, as antd's table does
  // (antd/es/_util/hooks/useMultipleSelect.js): it checks them all if any of them is unchecked and clears them only
  // when all are checked, whatever the clicked box itself was, so a shift+click on a checked row fills the gap up to
  // it rather than clearing the rows already picked.
  const lastChecked = useRef<number | null>(null);
  const toggle = (index: number, checked: boolean, shiftKey: boolean) => {
    const next = new Set(selectedIds);
    if (shiftKey && pageSelected > 0) {
      const from = Math.min(lastChecked.current ?? index, index);
      const to = Math.max(lastChecked.current ?? index, index);
      const range = pageKeys.slice(from, to + 1);
      const check = range.some((id) => !next.has(id));
      for (const id of range) {
        if (check) next.add(id);
        else next.delete(id);
      }
      lastChecked.current = check ? to : null;
    } else {
      const id = pageKeys[index];
      if (id === undefined) return;
      if (checked) next.add(id);
      else next.delete(id);
      lastChecked.current = checked ? index : null;
    }
    onSelect([...next]);
  };
  const toggleAll = () => {
    const all = pageSelected === pageKeys.length;
    onSelect(all ? selectedIds.filter((id) => !pageKeys.includes(id)) : [...selectedIds, ...pageKeys.filter((id) => !selected.has(id))]);
  };

  // The labels every row repeats, looked up once.
  const labels = { optInYes: t('members.optIn.yes'), optInNo: t('members.optIn.no'), noName: t('members.noName'), noInteraction: t('members.noInteraction') };
  const headers = [t('members.columns.memberNo'), t('members.columns.name'), t('members.columns.contact'), t('members.columns.line'), t('members.columns.optIn'), t('members.columns.tags'), t('members.columns.lastInteraction')];
  const cell = `${prefixCls}-cell`;
  const selectionCell = `${cell} ${prefixCls}-selection-column`;

  const row = (member: MemberListItem, index: number): ReactNode => {
    const name = fullName(member);
    const checked = selected.has(member.id);
    const to = `/members/${member.id}`;
    return (
      <tr key={member.id} data-row-key={member.id} className={`${prefixCls}-row ${prefixCls}-row-level-0${checked ? ` ${prefixCls}-row-selected` : ''}`}>
        {selectable ? (
          <td className={selectionCell}>
            <PlainCheckbox
              checked={checked}
              aria-label={t('members.selectNamed', { name: name || member.memberNo })}
              onClick={(event) => event.stopPropagation()}
              onChange={(event) => toggle(index, event.target.checked, (event.nativeEvent as MouseEvent).shiftKey)}
            />
          </td>
        ) : null}
        <td className={cell}>
          <Link to={to} aria-label={t('members.openNamed', { name: name || member.memberNo })}>
            {member.memberNo}
          </Link>
        </td>
        <td className={cell}>
          <Link to={to}>{name || <SecondaryText>{labels.noName}</SecondaryText>}</Link>
        </td>
        <td className={cell}>
          {member.mobile || member.email ? (
            <div className="ant-flex ant-flex-align-stretch ant-flex-vertical">
              {member.mobile ? <span className="ant-typography">{member.mobile}</span> : null}
              {member.email ? (
                <SecondaryText ellipsis style={{ maxWidth: 200 }}>
                  {member.email}
                </SecondaryText>
              ) : null}
            </div>
          ) : (
            <SecondaryText>—</SecondaryText>
          )}
        </td>
        <td className={cell}>
          <LineIdentity pictureUrl={member.linePictureUrl} displayName={member.lineDisplayName} status={member.lineStatus} />
        </td>
        <td className={cell}>{member.marketingOptIn ? <PlainTag color="green">{labels.optInYes}</PlainTag> : <PlainTag>{labels.optInNo}</PlainTag>}</td>
        <td className={cell}>
          <TagChips tags={member.tags} max={3} />
        </td>
        <td className={cell}>
          {member.lastInteractionAt ? (
            <div className="ant-flex ant-flex-align-stretch ant-flex-vertical">
              <span style={{ whiteSpace: 'nowrap' }}>{formatInZone(member.lastInteractionAt, timeZone)}</span>
              <SecondaryText style={{ fontSize: 12 }}>{fromNow(member.lastInteractionAt)}</SecondaryText>
            </div>
          ) : (
            <SecondaryText>{labels.noInteraction}</SecondaryText>
          )}
        </td>
      </tr>
    );
  };

  const columnCount = headers.length + (selectable ? 1 : 0);
  return (
    <div className={[cssVarCls, rootCls, `${prefixCls}-wrapper`, hashId].filter(Boolean).join(' ')}>
      <Spin spinning={loading}>
        <div
          ref={tableRef}
          data-testid="members-table"
          className={[prefixCls, `${prefixCls}-medium`, rows.length === 0 ? `${prefixCls}-empty` : '', cssVarCls, rootCls, hashId, `${prefixCls}-fix-start-shadow`, `${prefixCls}-fix-end-shadow`, `${prefixCls}-scroll-horizontal`, 'plain-table'].filter(Boolean).join(' ')}
        >
          <div className={`${prefixCls}-container`}>
            <div ref={scrollRef} className={`${prefixCls}-content`} style={{ overflow: 'auto hidden', containerType: 'inline-size' }}>
              <table style={{ width: MIN_WIDTH, minWidth: '100%', tableLayout: 'auto' }}>
                <colgroup>
                  {selectable ? <col className={`${prefixCls}-selection-col`} /> : null}
                  {WIDTHS.map((width, index) => (
                    <col key={index} style={width ? { width } : undefined} />
                  ))}
                </colgroup>
                <thead className={`${prefixCls}-thead`}>
                  <tr>
                    {selectable ? (
                      <th className={selectionCell} scope="col">
                        <div className={`${prefixCls}-selection`}>
                          <Checkbox
                            aria-label={t('members.selectPage')}
                            checked={pageKeys.length > 0 && pageSelected === pageKeys.length}
                            indeterminate={pageSelected > 0 && pageSelected < pageKeys.length}
                            disabled={pageKeys.length === 0}
                            onChange={toggleAll}
                          />
                        </div>
                      </th>
                    ) : null}
                    {headers.map((header) => (
                      <th key={header} className={cell} scope="col">
                        {header}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className={`${prefixCls}-tbody`}>
                  {/* antd's measuring row, without its measuring: the titles again in bold at no height, which the
                      browser's table layout counts when it shares the 960 px between the columns on a narrow window. */}
                  <tr aria-hidden="true" className={`${prefixCls}-measure-row`} style={{ height: 0 }}>
                    {selectable ? (
                      <td style={MEASURE_CELL}>
                        <div style={MEASURE_CONTENT}>
                          <div className={`${prefixCls}-selection`}>
                            <label className="ant-checkbox-wrapper">
                              <span className="ant-checkbox" />
                            </label>
                          </div>
                        </div>
                      </td>
                    ) : null}
                    {headers.map((header) => (
                      <td key={header} style={MEASURE_CELL}>
                        <div style={MEASURE_CONTENT}>{header}</div>
                      </td>
                    ))}
                  </tr>
                  {rows.length > 0 ? (
                    rows.map(row)
                  ) : (
                    <tr className={`${prefixCls}-placeholder`}>
                      <td className={cell} colSpan={columnCount}>
                        {/* As rc-table draws it in a table wider than its window: as wide as the window and stuck to its
                            left edge, so the message is in view (the scroller is the `cqw` container). */}
                        <div className={`${prefixCls}-expanded-row-fixed`} style={{ width: '100cqw', position: 'sticky', left: 0, overflow: 'hidden' }}>
                          <Empty
                            description={
                              <>
                                {filtered ? t('members.emptyFiltered') : t('members.empty')}
                                {emptyHint ? <SecondaryText style={{ display: 'block' }}>{emptyHint}</SecondaryText> : null}
                              </>
                            }
                          />
                        </div>
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
          </div>
        </div>
        {knownTotal > 0 ? (
          <Pagination
            className={`${prefixCls}-pagination ${prefixCls}-pagination-end`}
            size="small"
            current={currentPage}
            pageSize={pageSize}
            total={knownTotal}
            showSizeChanger
            pageSizeOptions={PAGE_SIZES}
            showTotal={total === undefined ? undefined : (count) => t('members.total', { count })}
            onChange={onPageChange}
          />
        ) : null}
      </Spin>
    </div>
  );
}
