// Phone-style chat with the OA, for demos and manual testing. No build step, no dependencies.
const $ = (sel) => document.querySelector(sel);

const state = {
  channelId: new URLSearchParams(location.search).get('channel') || localStorage.getItem('sim.channel') || '',
  userId: new URLSearchParams(location.search).get('user') || localStorage.getItem('sim.user') || '',
  version: -1,
  data: null,
  search: '',
  richMenuOpen: null,
  lastOpened: '',
  forceBottom: false,
};

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

async function api(method, path, body) {
  const res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(json?.error || json?.message || `${res.status}`);
  return json;
}

function toast(text, error = false) {
  const t = h('div', { class: `toast${error ? ' error' : ''}` }, text);
  $('#toasts').append(t);
  setTimeout(() => t.remove(), error ? 5000 : 2600);
}

// Times as the simulated phone shows them: in its own zone (the state's timeZone, Asia/Taipei by default), not the
// zone of the browser viewing the page (a server's or a CI runner's is often UTC).
let timeFmt, dayFmt, clockFmt, statusFmt;
let formatZone = '';
function useTimeZone(timeZone) {
  if (timeZone === formatZone) return;
  formatZone = timeZone;
  timeFmt = new Intl.DateTimeFormat('zh-TW', { timeZone, hour: 'numeric', minute: '2-digit' });
  dayFmt = new Intl.DateTimeFormat('zh-TW', { timeZone, month: 'long', day: 'numeric', weekday: 'short' });
  clockFmt = new Intl.DateTimeFormat('zh-TW', { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  statusFmt = new Intl.DateTimeFormat('zh-TW', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false });
}

// ---------- data ----------

async function refresh() {
  const q = new URLSearchParams();
  if (state.channelId) q.set('channelId', state.channelId);
  if (state.userId) q.set('userId', state.userId);
  const data = await api('GET', `/_sim/ui/state?${q}`);
  state.data = data;
  state.version = data.version;
  if (data.channel && data.channel.channelId !== state.channelId) {
    state.channelId = data.channel.channelId;
    localStorage.setItem('sim.channel', state.channelId);
  }
  render();
  // Messages on screen count as opened (impressions), as when a guest scrolls through the chat.
  const friend = data.friends.find((f) => f.userId === state.userId);
  if (friend && friend.unread > 0 && state.lastOpened !== `${friend.userId}:${data.version}`) {
    state.lastOpened = `${friend.userId}:${data.version}`;
    api('POST', `/_sim/channels/${state.channelId}/friends/${friend.userId}/open`).catch(() => {});
  }
}

async function poll() {
  try {
    const { version } = await api('GET', '/_sim/version');
    if (version !== state.version) await refresh();
  } catch {
    /* the simulator may be restarting */
  }
  setTimeout(poll, 1000);
}

// ---------- rendering ----------

function render() {
  const d = state.data;
  useTimeZone(d.timeZone || 'Asia/Taipei');
  renderChannels(d);
  renderFriends(d);
  renderChat(d);
  renderInspector(d);
  $('#clock').textContent = `模擬時間 ${clockFmt.format(new Date(d.now))}`;
  $('#status-time').textContent = statusFmt.format(new Date(d.now));
}

function renderChannels(d) {
  const sel = $('#channel-select');
  sel.replaceChildren(...d.channels.map((c) => h('option', { value: c.channelId, selected: c.channelId === state.channelId }, `${c.displayName}（${c.basicId}）`)));
  sel.disabled = d.channels.length === 0;
}

function avatarImg(f, cls = 'avatar') {
  return h('img', { class: cls, src: f.pictureUrl || '', alt: '', style: { background: f.avatarColor } });
}

function stateTag(s) {
  if (s === 'blocked') return h('span', { class: 'tag tag-blocked' }, '已封鎖');
  if (s === 'none') return h('span', { class: 'tag tag-none' }, '未加入');
  return null;
}

function renderFriends(d) {
  const list = $('#friend-list');
  if (!d.channel) {
    list.replaceChildren(
      h('li', { class: 'empty-list' }, '尚未建立官方帳號。用 Admin API 建立：', h('br'), h('code', {}, "curl -X POST /_sim/channels -H 'content-type: application/json' -d '{\"displayName\":\"我的飯店\"}'")),
    );
    return;
  }
  const q = state.search.trim().toLowerCase();
  const friends = d.friends.filter((f) => !q || f.displayName.toLowerCase().includes(q) || f.userId.includes(q));
  if (friends.length === 0) {
    list.replaceChildren(h('li', { class: 'empty-list' }, q ? '找不到符合的好友。' : '還沒有虛擬好友，按「＋ 10 位好友」新增。'));
    return;
  }
  const more = d.friendTotal > d.friends.length ? h('li', { class: 'empty-list' }, `只顯示最近互動的 ${d.friends.length} 位（共 ${d.friendTotal} 位）。`) : null;
  list.replaceChildren(
    ...friends.map((f) =>
      h(
        'li',
        { class: `friend-item${f.userId === state.userId ? ' active' : ''}`, onclick: () => selectFriend(f.userId), 'data-user': f.userId },
        avatarImg(f),
        h('div', { class: 'friend-meta' }, h('div', { class: 'friend-name' }, h('span', {}, f.displayName), stateTag(f.state)), h('div', { class: 'friend-preview' }, f.last ? f.last.text : f.statusMessage || '')),
        h('div', { class: 'friend-side' }, f.last ? timeFmt.format(new Date(f.last.at)) : '', f.unread > 0 ? h('span', { class: 'badge' }, f.unread > 99 ? '99+' : f.unread) : ''),
      ),
    ),
    ...(more ? [more] : []),
  );
}

async function selectFriend(userId) {
  state.userId = userId;
  state.richMenuOpen = null;
  localStorage.setItem('sim.user', userId);
  // Entering a chat shows its messages again: LINE counts another (non-unique) impression.
  if (userId && state.channelId) await api('POST', `/_sim/channels/${state.channelId}/friends/${userId}/open`).catch(() => {});
  refresh();
}

function renderChat(d) {
  const friend = d.friends.find((f) => f.userId === state.userId);
  const chat = d.chat;
  const body = $('#chat-body');
  const input = $('#composer-input');
  $('#chat-title').textContent = d.channel ? d.channel.displayName : 'LINE';
  const banner = $('#friend-banner');
  if (!friend || !chat) {
    body.replaceChildren(h('div', { class: 'empty-chat' }, '從左側選擇一位虛擬好友，', h('br'), '即可看到官方帳號傳給他的訊息。'));
    banner.hidden = true;
    $('#quick-replies').hidden = true;
    $('#richmenu').hidden = true;
    input.disabled = true;
    $('#send-btn').disabled = true;
    return;
  }
  const nearBottom = state.forceBottom || body.scrollHeight - body.scrollTop - body.clientHeight < 80 || body.dataset.user !== friend.userId;
  state.forceBottom = false;
  body.dataset.user = friend.userId;

  if (chat.state === 'none') {
    banner.hidden = false;
    banner.replaceChildren(h('span', {}, '尚未將此官方帳號加入好友'), h('button', { class: 'btn btn-primary', onclick: () => friendAction('follow') }, '加入好友'));
  } else if (chat.state === 'blocked') {
    banner.hidden = false;
    banner.replaceChildren(h('span', {}, '你已封鎖此官方帳號'), h('button', { class: 'btn', onclick: () => friendAction('unblock') }, '解除封鎖'));
  } else banner.hidden = true;

  const nodes = [];
  let lastDay = '';
  for (const e of chat.messages) {
    const day = dayFmt.format(new Date(e.at));
    if (day !== lastDay) {
      nodes.push(h('div', { class: 'day-sep' }, day));
      lastDay = day;
    }
    nodes.push(renderEntry(e, d.channel));
  }
  if (nodes.length === 0) nodes.push(h('div', { class: 'empty-chat' }, '還沒有訊息'));
  body.replaceChildren(...nodes);
  if (nearBottom) body.scrollTop = body.scrollHeight;

  const blocked = chat.state === 'blocked';
  input.disabled = blocked;
  input.placeholder = blocked ? '已封鎖，無法傳送訊息' : '輸入訊息';
  $('#send-btn').disabled = blocked;
  renderQuickReply(chat.quickReply);
  renderRichMenu(chat.richMenu);
}

function renderEntry(e, channel) {
  const time = h('div', { class: 'msg-time' }, timeFmt.format(new Date(e.at)));
  if (e.kind === 'system') return h('div', { class: 'system-note' }, e.text);
  if (e.kind === 'user') return h('div', { class: 'msg-row user' }, h('div', { class: 'msg-col' }, renderUserMessage(e.message)), h('div', {}, h('div', { class: 'msg-time' }, '已讀'), time));
  const sender = e.message.sender || {};
  const icon = sender.iconUrl || channel.pictureUrl;
  const avatar = h('div', { class: 'oa-avatar' }, icon ? h('img', { src: icon, alt: '' }) : (sender.name || channel.displayName).slice(0, 1));
  // Cards and carousels use the full width, so their time goes underneath instead of beside them.
  const wide = ['flex', 'template', 'imagemap'].includes(e.message.type);
  const col = h('div', { class: 'msg-col' }, sender.name ? h('div', { class: 'sender-name' }, sender.name) : null, renderBotMessage(e), wide ? time : null);
  return h('div', { class: `msg-row bot${wide ? ' wide' : ''}` }, avatar, col, wide ? null : time);
}

function renderUserMessage(m) {
  if (m.type === 'sticker') return h('div', { class: 'sticker' }, '🐻');
  if (m.type === 'location') return locationCard(m);
  return h('div', { class: 'bubble' }, m.text);
}

function imgOr(src, alt, cls) {
  const img = h('img', { src, alt: alt || '', class: cls, loading: 'lazy' });
  img.addEventListener('error', () => img.replaceWith(h('div', { class: `placeholder ${cls || ''}`, style: { minHeight: '90px', width: '100%' } }, '🖼 圖片')));
  return img;
}

function linkify(text, entryId) {
  const parts = String(text).split(/(https?:\/\/[^\s]+)/g);
  return parts.map((p, i) =>
    i % 2 === 1
      ? h('a', { href: p, onclick: (ev) => { ev.preventDefault(); tap(entryId, { type: 'uri', uri: p }); } }, p)
      : p.replace(/\$/g, '😊'),
  );
}

function renderBotMessage(e) {
  const m = e.message;
  switch (m.type) {
    case 'text':
      return h('div', { class: 'bubble' }, linkify(m.text, e.id));
    case 'textV2': {
      const text = m.text.replace(/\{([0-9a-zA-Z_]+)\}/g, (all, key) => {
        const s = m.substitution?.[key];
        if (!s) return all;
        return s.type === 'mention' ? (s.mentionee?.type === 'all' ? '@All' : '@你') : '😊';
      });
      return h('div', { class: 'bubble' }, linkify(text, e.id));
    }
    case 'sticker': {
      const img = h('img', { src: `https://stickershop.line-scdn.net/stickershop/v1/sticker/${m.stickerId}/android/sticker.png`, alt: '貼圖' });
      const box = h('div', { class: 'sticker' }, img);
      img.addEventListener('error', () => img.replaceWith('🐻'));
      return box;
    }
    case 'image':
      return h('a', { class: 'media', href: m.originalContentUrl, target: '_blank', rel: 'noopener' }, imgOr(m.previewImageUrl, '圖片'));
    case 'video':
      return h('a', { class: 'media', href: m.originalContentUrl, target: '_blank', rel: 'noopener' }, imgOr(m.previewImageUrl, '影片'), h('div', { class: 'play' }, '▶'));
    case 'audio':
      return h('div', { class: 'bubble' }, `▶ 語音訊息 ${Math.round((m.duration || 0) / 1000)} 秒`);
    case 'location':
      return locationCard(m);
    case 'imagemap':
      return imagemap(m, e.id);
    case 'template':
      return template(m.template, e.id);
    case 'flex':
      return m.contents.type === 'carousel' ? h('div', { class: 'carousel' }, m.contents.contents.map((b) => flexBubble(b, e.id))) : flexBubble(m.contents, e.id);
    case 'coupon':
      return h('div', { class: 'card' }, h('div', { class: 'card-body' }, h('div', { class: 'card-title' }, '🎟 優惠券'), h('div', { class: 'card-text' }, m.couponId)));
    default:
      return h('div', { class: 'bubble' }, `[${m.type}]`);
  }
}

function locationCard(m) {
  const url = `https://maps.google.com/?q=${m.latitude},${m.longitude}`;
  return h('a', { class: 'card location', href: url, target: '_blank', rel: 'noopener', style: { textDecoration: 'none', color: 'inherit' } }, h('div', { class: 'map' }, '📍'), h('div', { class: 'card-body' }, h('div', { class: 'card-title' }, m.title || '位置資訊'), h('div', { class: 'card-text' }, m.address || `${m.latitude}, ${m.longitude}`)));
}

function imagemap(m, entryId) {
  const width = 250;
  const scale = width / 1040;
  const box = h('div', { class: 'imagemap', style: { height: `${Math.round(m.baseSize.height * scale)}px` } });
  const img = h('img', { src: `${m.baseUrl}/700`, alt: m.altText });
  img.addEventListener('error', () => img.replaceWith(h('div', { class: 'placeholder', style: { position: 'absolute', inset: '0' } }, m.altText)));
  box.append(img);
  for (const a of m.actions || []) {
    const action = a.type === 'uri' ? { type: 'uri', uri: a.linkUri, label: a.label } : a;
    const r = a.area;
    // Named by its label as before (aria-label); a link area's title is its link.
    box.append(h('button', { class: 'area', 'aria-label': a.label || undefined, title: a.type === 'uri' ? a.linkUri : a.label || a.text || '', 'data-uri': a.type === 'uri' ? a.linkUri : undefined, style: { left: `${r.x * scale}px`, top: `${r.y * scale}px`, width: `${r.width * scale}px`, height: `${r.height * scale}px` }, onclick: () => tap(entryId, action) }));
  }
  return box;
}

/**
 * Where a URI action goes, on the element that carries it: its link as the element's title (shown on hover, and read
 * as its description), as the link is what a tap opens. Other actions get nothing.
 */
function linkOf(action) {
  return action && action.type === 'uri' && action.uri ? { title: action.uri, 'data-uri': action.uri } : {};
}

function actionButton(a, entryId, cls = 'card-action') {
  return h('button', { class: cls, ...linkOf(a), onclick: () => tap(entryId, a) }, a.label || '');
}

function template(t, entryId) {
  if (t.type === 'buttons' || t.type === 'carousel') {
    const column = (c, ratio, size) =>
      h(
        'div',
        { class: 'card' },
        c.thumbnailImageUrl ? h('div', { class: c.defaultAction ? 'fx-clickable' : '', ...linkOf(c.defaultAction), style: { background: c.imageBackgroundColor || '#fff' }, onclick: c.defaultAction ? () => tap(entryId, c.defaultAction) : undefined }, imgOr(c.thumbnailImageUrl, '', `card-thumb${ratio === 'square' ? ' square' : ''}${size === 'contain' ? ' contain' : ''}`)) : null,
        h('div', { class: `card-body${c.defaultAction ? ' fx-clickable' : ''}`, ...linkOf(c.defaultAction), onclick: c.defaultAction ? () => tap(entryId, c.defaultAction) : undefined }, c.title ? h('div', { class: 'card-title' }, c.title) : null, h('div', { class: 'card-text' }, c.text)),
        h('div', { class: 'card-actions' }, (c.actions || []).map((a) => actionButton(a, entryId))),
      );
    if (t.type === 'buttons') return column(t, t.imageAspectRatio, t.imageSize);
    return h('div', { class: 'carousel' }, t.columns.map((c) => column(c, t.imageAspectRatio, t.imageSize)));
  }
  if (t.type === 'confirm') {
    return h('div', { class: 'card' }, h('div', { class: 'card-body', style: { textAlign: 'center' } }, h('div', { class: 'card-text', style: { color: '#222', fontSize: '14px' } }, t.text)), h('div', { class: 'confirm-actions' }, t.actions.map((a) => actionButton(a, entryId))));
  }
  if (t.type === 'image_carousel') {
    return h('div', { class: 'carousel' }, t.columns.map((c) => h('div', { class: 'img-col', ...linkOf(c.action), onclick: () => tap(entryId, c.action) }, imgOr(c.imageUrl, ''), c.action.label ? h('span', {}, c.action.label) : null)));
  }
  return h('div', { class: 'bubble' }, '[template]');
}

// ---------- Flex ----------

const FX_TEXT = { xxs: 11, xs: 13, sm: 14, md: 16, lg: 19, xl: 22, xxl: 29, '3xl': 35, '4xl': 48, '5xl': 74 };
const FX_SPACE = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };
const FX_IMG = { xxs: 40, xs: 60, sm: 80, md: 100, lg: 120, xl: 140, xxl: 160, '3xl': 180, '4xl': 200, '5xl': 220, full: '100%' };
const px = (v, table) => (v === undefined ? undefined : table && v in table ? (typeof table[v] === 'number' ? `${table[v]}px` : table[v]) : v);

function flexBubble(b, entryId) {
  const el = h('div', { class: `fx-bubble fx-${b.size || 'mega'}`, dir: b.direction || 'ltr' });
  for (const key of ['header', 'hero', 'body', 'footer']) {
    const part = b[key];
    if (!part) continue;
    const style = b.styles?.[key] || {};
    if (style.separator) el.append(h('div', { class: 'fx-sep', style: { height: '1px', background: style.separatorColor || '#e6e8eb' } }));
    const section = h('div', { class: key === 'hero' ? 'fx-section-hero' : `fx-section-${key}`, style: { background: style.backgroundColor } }, flexNode(part, 'vertical', entryId, true));
    el.append(section);
  }
  if (b.action) clickable(el, b.action, entryId);
  return el;
}

function clickable(el, action, entryId) {
  el.classList.add('fx-clickable');
  for (const [k, v] of Object.entries(linkOf(action))) el.setAttribute(k, v);
  el.addEventListener('click', (ev) => {
    ev.stopPropagation();
    tap(entryId, action);
  });
}

function flexNode(c, parentLayout, entryId, first = false) {
  const style = {};
  const grow = c.flex ?? (parentLayout === 'horizontal' || parentLayout === 'baseline' ? 1 : 0);
  style.flex = grow > 0 ? `${grow} ${grow} 0px` : '0 0 auto';
  if (c.margin && !first) style[parentLayout === 'vertical' ? 'marginTop' : 'marginLeft'] = px(c.margin, FX_SPACE);
  if (c.offsetTop) style.marginTop = c.offsetTop;
  if (c.alignSelf) style.alignSelf = c.alignSelf;
  let el;
  switch (c.type) {
    case 'box': {
      const dir = c.layout === 'vertical' ? 'column' : 'row';
      Object.assign(style, {
        flexDirection: dir,
        alignItems: c.layout === 'baseline' ? 'baseline' : c.alignItems,
        justifyContent: c.justifyContent,
        gap: px(c.spacing, FX_SPACE),
        padding: px(c.paddingAll, FX_SPACE),
        paddingTop: px(c.paddingTop, FX_SPACE),
        paddingBottom: px(c.paddingBottom, FX_SPACE),
        paddingLeft: px(c.paddingStart, FX_SPACE),
        paddingRight: px(c.paddingEnd, FX_SPACE),
        background: c.backgroundColor || (c.background?.type === 'linearGradient' ? `linear-gradient(${c.background.angle || '0deg'}, ${c.background.startColor}, ${c.background.endColor})` : undefined),
        borderRadius: px(c.cornerRadius, { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 }),
        border: c.borderWidth ? `${px(c.borderWidth, { none: 0, light: 0.5, normal: 1, medium: 2, 'semi-bold': 3, bold: 4 })} solid ${c.borderColor || '#000'}` : undefined,
        width: c.width,
        height: c.height,
        maxWidth: c.maxWidth,
      });
      el = h('div', { class: 'fx-box', style }, (c.contents || []).map((child, i) => flexNode(child, c.layout, entryId, i === 0)));
      break;
    }
    case 'text': {
      Object.assign(style, {
        fontSize: px(c.size || 'md', FX_TEXT),
        fontWeight: c.weight === 'bold' ? '700' : '400',
        color: c.color || '#111',
        textAlign: c.align === 'end' ? 'right' : c.align === 'center' ? 'center' : 'left',
        fontStyle: c.style === 'italic' ? 'italic' : undefined,
        textDecoration: c.decoration === 'line-through' ? 'line-through' : c.decoration === 'underline' ? 'underline' : undefined,
        lineHeight: c.lineSpacing ? `calc(1em + ${c.lineSpacing})` : undefined,
      });
      if (c.maxLines) Object.assign(style, { display: '-webkit-box', WebkitLineClamp: String(c.maxLines), WebkitBoxOrient: 'vertical', overflow: 'hidden' });
      const content = c.contents?.length
        ? c.contents.map((s) => h('span', { style: { fontSize: px(s.size, FX_TEXT), fontWeight: s.weight === 'bold' ? '700' : undefined, color: s.color, fontStyle: s.style === 'italic' ? 'italic' : undefined, textDecoration: s.decoration && s.decoration !== 'none' ? s.decoration : undefined } }, s.text))
        : c.text;
      el = h('div', { class: `fx-text ${c.wrap ? 'wrap' : 'nowrap'}`, style }, content);
      break;
    }
    case 'image': {
      const size = c.size || 'md';
      const [w, hgt] = String(c.aspectRatio || '1:1').split(':').map(Number);
      Object.assign(style, { width: px(size, FX_IMG), aspectRatio: `${w} / ${hgt}`, background: c.backgroundColor, alignSelf: c.align === 'start' ? 'flex-start' : c.align === 'end' ? 'flex-end' : 'center', maxWidth: '100%' });
      if (size === 'full') style.width = '100%';
      const img = imgOr(c.url, '');
      img.style.objectFit = c.aspectMode === 'cover' ? 'cover' : 'contain';
      el = h('div', { class: 'fx-image', style }, img);
      break;
    }
    case 'button': {
      const styleName = c.style || 'link';
      const btn = h('button', { class: `fx-btn ${styleName} ${c.height === 'sm' ? 'sm' : 'md'}`, ...linkOf(c.action), style: styleName === 'link' ? { color: c.color } : { background: c.color } }, c.action?.label || '');
      btn.addEventListener('click', (ev) => {
        ev.stopPropagation();
        tap(entryId, c.action);
      });
      el = h('div', { style }, btn);
      return el;
    }
    case 'separator': {
      const horizontal = parentLayout !== 'vertical';
      el = h('div', { class: 'fx-sep', style: { ...style, flex: '0 0 auto', [horizontal ? 'width' : 'height']: '1px', alignSelf: 'stretch', background: c.color || '#e6e8eb' } });
      return el;
    }
    case 'filler':
      return h('div', { style: { flex: `${c.flex ?? 1} 1 0px` } });
    case 'spacer':
      return h('div', { style: { flex: '0 0 auto', height: px(c.size || 'md', FX_SPACE) } });
    case 'icon':
      el = h('img', { src: c.url, alt: '', style: { ...style, flex: '0 0 auto', width: px(c.size || 'md', FX_TEXT), height: px(c.size || 'md', FX_TEXT) } });
      el.addEventListener('error', () => (el.style.visibility = 'hidden'));
      return el;
    case 'video':
      return c.altContent ? flexNode(c.altContent, parentLayout, entryId, first) : h('div', { class: 'placeholder', style: { height: '120px' } }, '▶ 影片');
    default:
      return h('div', { style }, '');
  }
  if (c.action) clickable(el, c.action, entryId);
  return el;
}

// ---------- quick reply and rich menu ----------

function renderQuickReply(qr) {
  const box = $('#quick-replies');
  if (!qr || !qr.items?.length) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.replaceChildren(...qr.items.map((item) => h('button', { class: 'qr-chip', ...linkOf(item.action), onclick: () => tap(qr.messageId, item.action, { fromQuickReply: true }) }, item.imageUrl ? h('img', { src: item.imageUrl, alt: '' }) : null, item.action.label)));
}

function renderRichMenu(menu) {
  const box = $('#richmenu');
  if (!menu) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  if (state.richMenuOpen === null) state.richMenuOpen = menu.selected;
  const bar = h('button', { class: 'richmenu-bar', onclick: () => { state.richMenuOpen = !state.richMenuOpen; render(); } }, menu.chatBarText, state.richMenuOpen ? '▾' : '▴');
  if (!state.richMenuOpen) {
    box.replaceChildren(bar);
    return;
  }
  const width = 366;
  const scale = width / menu.size.width;
  const panel = h('div', { class: `richmenu-panel${menu.imageUrl ? '' : ' no-image'}`, style: { height: `${Math.round(menu.size.height * scale)}px` } });
  if (menu.imageUrl) panel.append(h('img', { src: menu.imageUrl, alt: '' }));
  for (const a of menu.areas) {
    const b = a.bounds;
    panel.append(h('button', { class: 'area', title: a.action.label || a.action.data || a.action.uri || '', style: { left: `${b.x * scale}px`, top: `${b.y * scale}px`, width: `${b.width * scale}px`, height: `${b.height * scale}px` }, onclick: () => tap(null, a.action) }, menu.imageUrl ? '' : a.action.label || ''));
  }
  box.replaceChildren(panel, bar);
}

// ---------- inspector ----------

function renderInspector(d) {
  const box = $('#inspector');
  const f = d.friends.find((x) => x.userId === state.userId);
  const c = d.channel;
  const parts = [];
  if (f) {
    parts.push(
      h('h2', {}, '好友資訊'),
      h('div', { class: 'guest-card' }, avatarImg(f, 'avatar avatar-lg'), h('div', {}, h('div', { class: 'guest-name' }, f.displayName), h('div', { class: 'guest-status' }, f.statusMessage || '—'), h('div', { style: { marginTop: '6px' } }, f.state === 'friend' ? h('span', { class: 'tag tag-friend' }, '好友') : stateTag(f.state)))),
      h('dl', { class: 'kv', style: { marginTop: '14px' } }, h('dt', {}, 'User ID'), h('dd', {}, f.userId), h('dt', {}, '裝置'), h('dd', {}, f.appType), h('dt', {}, '語言'), h('dd', {}, f.language), h('dt', {}, '已收訊息'), h('dd', {}, String(f.received))),
      h('h2', {}, '操作'),
      h(
        'div',
        { class: 'actions-row' },
        f.state !== 'friend' && f.state !== 'blocked' ? h('button', { class: 'btn btn-primary', onclick: () => friendAction('follow') }, '加入好友') : null,
        f.state === 'friend' ? h('button', { class: 'btn btn-danger', onclick: () => friendAction('block') }, '封鎖') : null,
        f.state === 'blocked' ? h('button', { class: 'btn', onclick: () => friendAction('unblock') }, '解除封鎖') : null,
        h('button', { class: 'btn', onclick: () => navigator.clipboard?.writeText(f.userId).then(() => toast('已複製 User ID')) }, '複製 User ID'),
      ),
    );
    if (c?.liffApps?.length) {
      parts.push(h('h2', {}, 'LIFF'), h('div', { class: 'actions-row' }, c.liffApps.map((a) => h('button', { class: 'btn', onclick: () => openLiff(`https://liff.line.me/${a.liffId}`) }, `開啟 ${a.liffId}`))));
    }
  } else {
    parts.push(h('h2', {}, '好友資訊'), h('p', { class: 'hint' }, '選擇左側的虛擬好友，查看他收到的訊息，並可模擬點擊按鈕、加入／封鎖與傳送訊息。'));
  }
  if (c) {
    parts.push(
      h('h2', {}, '官方帳號'),
      h('dl', { class: 'kv' }, h('dt', {}, '名稱'), h('dd', {}, c.displayName), h('dt', {}, 'Basic ID'), h('dd', {}, c.basicId), h('dt', {}, 'Channel ID'), h('dd', {}, c.channelId), h('dt', {}, 'Webhook'), h('dd', {}, c.webhookUrl || '—'), h('dt', {}, '好友數'), h('dd', {}, String(c.friendCount))),
    );
    if (!c.webhookUrl) parts.push(h('p', { class: 'warn' }, '尚未設定 Webhook URL：好友的操作不會送到 Innkeeper。'));
    parts.push(
      h('h2', {}, '最近的 Webhook'),
      d.webhooks.length
        ? h('ul', { class: 'webhook-log' }, d.webhooks.map((w) => h('li', {}, h('span', {}, w.eventTypes.join(', ') || '(連線測試)', w.isRedelivery ? '（重送）' : ''), h('span', { class: w.ok ? 'status-ok' : 'status-bad' }, w.status ?? w.error ?? '—', w.url ? ` · ${Math.round(w.latencyMs)} ms` : ''))))
        : h('p', { class: 'hint' }, '尚無紀錄'),
    );
  }
  box.replaceChildren(...parts);
}

// ---------- actions ----------

function reportDelivery(res, what) {
  if (res.open) return;
  const d = res.delivery;
  if (!d) return toast(what);
  if (d.ok) toast(`${what} · Webhook ${d.status} · ${Math.round(d.latencyMs)} ms`);
  else toast(`${what} · Webhook 失敗：${d.status ?? d.error}`, true);
}

async function friendAction(kind) {
  const label = { follow: '已加入好友', block: '已封鎖', unblock: '已解除封鎖' }[kind];
  try {
    const res = await api('POST', `/_sim/channels/${state.channelId}/friends/${state.userId}/${kind}`);
    reportDelivery(res, label);
  } catch (err) {
    toast(err.message, true);
  }
  refresh();
}

function pickDateTime(action) {
  const dialog = $('#picker-dialog');
  const input = $('#picker-input');
  const type = { date: 'date', time: 'time', datetime: 'datetime-local' }[action.mode] || 'datetime-local';
  input.type = type;
  input.value = action.initial || '';
  input.min = action.min || '';
  input.max = action.max || '';
  $('#picker-title').textContent = action.label || '選擇日期時間';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok' && input.value ? input.value : null), { once: true }));
}

async function tap(messageId, action, extra = {}) {
  if (!action || !state.userId) return;
  state.forceBottom = action.type !== 'uri';
  const body = { action, ...extra };
  if (messageId) body.messageId = messageId;
  if (action.type === 'datetimepicker') {
    const value = await pickDateTime(action);
    if (!value) return;
    body.datetime = value;
  }
  if (['camera', 'cameraRoll'].includes(action.type)) return toast('模擬器不支援相機', true);
  // Open the tab synchronously so the browser doesn't treat it as a pop-up.
  const win = action.type === 'uri' ? window.open('about:blank', '_blank') : null;
  try {
    const res = await api('POST', `/_sim/channels/${state.channelId}/friends/${state.userId}/tap`, body);
    if (res.open) {
      if (win) win.location.href = res.open;
      else window.open(res.open, '_blank');
      // Where the tap went, as LINE's in-app browser shows it in its address bar (the tab may open behind this one).
      toast(`開啟 ${res.open.split('#')[0]}`);
    } else if (res.copy !== undefined) {
      navigator.clipboard?.writeText(res.copy);
      toast('已複製');
    } else reportDelivery(res, action.type === 'postback' ? `Postback：${action.data}` : '已傳送');
  } catch (err) {
    win?.close();
    toast(err.message, true);
  }
  refresh();
}

async function openLiff(url) {
  const win = window.open('about:blank', '_blank');
  try {
    const res = await api('POST', '/_sim/liff/open', { channelId: state.channelId, userId: state.userId, url });
    win.location.href = res.url;
  } catch (err) {
    win?.close();
    toast(err.message, true);
  }
}

// ---------- wiring ----------

$('#channel-select').addEventListener('change', (ev) => {
  state.channelId = ev.target.value;
  state.userId = '';
  localStorage.setItem('sim.channel', state.channelId);
  refresh();
});
$('#friend-search').addEventListener('input', (ev) => {
  state.search = ev.target.value;
  renderFriends(state.data);
});
$('#back-btn').addEventListener('click', () => selectFriend(''));
$('#composer').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const input = $('#composer-input');
  const text = input.value.trim();
  if (!text || !state.userId) return;
  input.value = '';
  state.forceBottom = true;
  try {
    const res = await api('POST', `/_sim/channels/${state.channelId}/friends/${state.userId}/message`, { text });
    reportDelivery(res, '已傳送');
  } catch (err) {
    toast(err.message, true);
  }
  refresh();
});
$('#add-visitor').addEventListener('click', async () => {
  if (!state.channelId) return;
  const res = await api('POST', `/_sim/channels/${state.channelId}/friends`, { count: 1, state: 'none' });
  selectFriend(res.friends[0].userId);
});
$('#add-friends').addEventListener('click', async () => {
  if (!state.channelId) return;
  await api('POST', `/_sim/channels/${state.channelId}/friends`, { count: 10 });
  toast('已新增 10 位好友');
  refresh();
});

(state.userId ? selectFriend(state.userId) : refresh()).then(poll, (err) => {
  toast(`無法連線模擬器：${err.message}`, true);
  setTimeout(poll, 1000);
});
