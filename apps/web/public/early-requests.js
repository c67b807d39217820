// Written into the page sent to a browser with a session cookie (apps/server build-app.ts, sendAdminPage), as its first
// script, run as the page is read: asks for the session (and, on 會員 with no filters in its address, the list's first
// page) while the app's ~600 kB of scripts are still on their way, instead of once they have run and rendered. The app takes these answers (src/lib/early-requests.ts) instead of asking again;
// a request it does not recognise is left unused. Plain script, no build step; the server admits it in the page's CSP by its hash.
/* global window, location */
(function () {
  var json = { accept: 'application/json' };
  // The language the app sends (lib/api-client.ts: the one chosen in this browser, lib/i18n.ts), so that a refusal's
  // message is in it as the app's own request's would be; the answers themselves follow the account's language.
  var language = null;
  try {
    language = window.localStorage.getItem('innkeeper.locale');
  } catch {
    // Storage disabled: the browser's own Accept-Language goes.
  }
  if (language === 'zh-TW' || language === 'en') json['accept-language'] = language;
  var early = { at: Date.now() };
  early.session = fetch('/api/auth/session', { headers: json, credentials: 'same-origin' });
  if (location.pathname === '/members' && !location.search) {
    // The list's request with no filters: sort recent, page 1, 20 rows (features/members/use-member-filters.ts). The
    // app uses the answer only when its own request is this one.
    early.membersRequest = { sort: 'recent', page: 1, pageSize: 20 };
    early.members = early.session
      .then(function (response) {
        return response.ok ? response.clone().json() : undefined;
      })
      .then(function (probe) {
        if (!probe || probe.stage !== 'active') return undefined;
        // The session this list was read for: the app takes it only while that session is still its own.
        early.membersFor = probe.me.csrfToken;
        return fetch('/api/members/search', {
          method: 'POST',
          headers: Object.assign({ 'content-type': 'application/json', 'x-csrf-token': probe.me.csrfToken }, json),
          credentials: 'same-origin',
          body: JSON.stringify(early.membersRequest),
        });
      });
    early.members.catch(function () {});
  }
  early.session.catch(function () {});
  window.__innkeeperEarly = early;
})();
