// Stand-in for the LIFF SDK (https://static.line-scdn.net/liff/edge/2/sdk.js) when a LIFF page is opened
// from the LINE simulator. The simulator appends #line-sim-liff=<base64url JSON> to the LIFF endpoint URL;
// this script keeps it in sessionStorage and answers the common liff.* calls from it. Only for demos/tests.
(function () {
  const KEY = 'line-sim-liff';
  function b64urlDecode(s) {
    const pad = s.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(pad + '==='.slice((pad.length + 3) % 4));
    return decodeURIComponent(Array.from(bin, (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
  }
  function readContext() {
    const m = /[#&]line-sim-liff=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem(KEY, b64urlDecode(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
    const raw = sessionStorage.getItem(KEY);
    return raw ? JSON.parse(raw) : null;
  }
  let ctx = null;
  const script = document.currentScript;
  const apiBase = () => (ctx && ctx.apiBase) || (script && new URL(script.src).origin) || '';
  const need = () => {
    if (!ctx) throw new Error('LIFF context missing: open this page from the LINE simulator');
    return ctx;
  };
  const decode = (jwt) => JSON.parse(b64urlDecode(jwt.split('.')[1]));
  let resolveReady;
  const ready = new Promise((r) => (resolveReady = r));

  window.liff = {
    id: null,
    ready,
    async init(config) {
      ctx = readContext();
      this.id = (config && config.liffId) || (ctx && ctx.liffId) || null;
      resolveReady();
    },
    isInClient: () => Boolean(ctx),
    isLoggedIn: () => Boolean(ctx),
    login() {
      if (!ctx) alert('請從 LINE 模擬器開啟此頁面');
    },
    logout() {
      sessionStorage.removeItem(KEY);
      ctx = null;
    },
    getOS: () => 'ios',
    getLanguage: () => navigator.language || 'zh-TW',
    getAppLanguage: () => navigator.language || 'zh-TW',
    getVersion: () => '2.26.0-line-simulator',
    getLineVersion: () => '15.0.0',
    getContext: () => (ctx ? { type: 'utou', userId: ctx.userId, liffId: ctx.liffId, viewType: ctx.viewType, endpointUrl: location.origin + location.pathname } : null),
    getIDToken: () => (ctx ? ctx.idToken : null),
    getDecodedIDToken: () => (ctx ? decode(ctx.idToken) : null),
    getAccessToken: () => (ctx ? ctx.accessToken : null),
    async getProfile() {
      const res = await fetch(`${apiBase()}/v2/profile`, { headers: { authorization: `Bearer ${need().accessToken}` } });
      if (!res.ok) throw new Error(`getProfile failed: ${res.status}`);
      return res.json();
    },
    async getFriendship() {
      const res = await fetch(`${apiBase()}/friendship/v1/status`, { headers: { authorization: `Bearer ${need().accessToken}` } });
      return res.json();
    },
    // Text messages are sent as the user (a message webhook); other types produce no webhook on LINE either.
    async sendMessages(messages) {
      const c = need();
      for (const m of messages) {
        if (m.type !== 'text') continue;
        await fetch(`${apiBase()}/_sim/channels/${c.channelId}/friends/${c.userId}/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: m.text }) });
      }
    },
    openWindow({ url, external }) {
      window.open(url, external ? '_blank' : '_self');
    },
    closeWindow() {
      window.close();
    },
    isApiAvailable: (name) => ['shareTargetPicker', 'multipleLiffTransition'].includes(name) === false,
    permanentLink: { createUrlBy: async (url) => url, createUrl: () => location.href },
    scanCodeV2: async () => ({ value: null }),
  };
})();
