// Bootstrap for the Caseload API playground.
//
// It lives in its own file, not inline in the page, so that the page works
// under "Content-Security-Policy: script-src 'self'". It expects the React,
// ReactDOM and GraphiQL UMD bundles to be loaded first (see index.html).
(function () {
  'use strict';

  var ENDPOINT = '/graphql';
  var TOKEN_KEY = 'caseload.playground.token';
  var NAME_KEY = 'caseload.playground.member';

  var LOGIN_MUTATION =
    'mutation($email:String!,$password:String!){ login(email:$email,password:$password){ token member { name } } }';
  var VIEWER_QUERY = 'query { viewer { name } }';

  var DEFAULT_QUERY = [
    '# Caseload API playground',
    '#',
    '# Log in first with the bar above, or paste a',
    '# token. Every request from this page then',
    '# carries "Authorization: Bearer <token>";',
    '# without it most fields answer with an',
    '# authentication error.',
    '#',
    '# Run with Ctrl-Enter or the \u25B6 button.',
    'query {',
    '  viewer {',
    '    name',
    '  }',
    '  clients(first: 10) {',
    '    totalCount',
    '    edges {',
    '      node {',
    '        id',
    '        name',
    '      }',
    '    }',
    '  }',
    '}',
    ''
  ].join('\n');

  // localStorage can throw (disabled storage, private mode quotas); the
  // playground still works for the current page when it does.
  var memory = {};
  function load(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
    }
  }
  function save(key, value) {
    try {
      if (value === null) {
        window.localStorage.removeItem(key);
      } else {
        window.localStorage.setItem(key, value);
      }
    } catch (e) {
      if (value === null) {
        delete memory[key];
      } else {
        memory[key] = value;
      }
    }
  }

  function getToken() {
    var t = load(TOKEN_KEY);
    return t ? t : '';
  }

  function hasHeader(headers, name) {
    var lower = name.toLowerCase();
    return Object.keys(headers).some(function (k) {
      return k.toLowerCase() === lower;
    });
  }

  // postGraphQL sends one GraphQL request as POST JSON, with the stored
  // token unless anonymous is set. It always resolves with a GraphQL-shaped
  // object so that callers (and GraphiQL) can show the server's own error
  // message instead of a generic failure.
  function postGraphQL(body, extraHeaders, anonymous) {
    var headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (extraHeaders) {
      Object.keys(extraHeaders).forEach(function (k) {
        headers[k] = extraHeaders[k];
      });
    }
    var token = getToken();
    // A header typed into GraphiQL's "Headers" tab wins over the stored
    // token, so one can try another token without logging out.
    if (token && !anonymous && !hasHeader(headers, 'Authorization')) {
      headers.Authorization = 'Bearer ' + token;
    }
    return fetch(ENDPOINT, {
      method: 'POST',
      headers: headers,
      body: JSON.stringify(body),
      credentials: 'same-origin'
    }).then(function (res) {
      return res.text().then(function (text) {
        try {
          return JSON.parse(text);
        } catch (e) {
          return {
            errors: [{ message: 'HTTP ' + res.status + ' ' + res.statusText + ': ' + text.slice(0, 500) }]
          };
        }
      });
    }, function (err) {
      return { errors: [{ message: 'Network error: ' + (err && err.message ? err.message : String(err)) }] };
    });
  }

  function firstError(result) {
    if (result && Array.isArray(result.errors) && result.errors.length > 0) {
      return result.errors[0] && result.errors[0].message ? result.errors[0].message : 'Unknown error';
    }
    return '';
  }

  // --- login bar ---------------------------------------------------------

  var el = function (id) {
    return document.getElementById(id);
  };
  var statusEl = el('login-status');

  function setStatus(text, kind) {
    statusEl.textContent = text;
    statusEl.className = kind || '';
  }

  function showStoredState() {
    var token = getToken();
    var name = load(NAME_KEY);
    if (!token) {
      setStatus('Not logged in', '');
    } else if (name) {
      setStatus('Logged in as ' + name, 'ok');
    } else {
      setStatus('Token set (member unknown)', 'ok');
    }
  }

  function setBusy(busy) {
    ['login-button', 'token-button', 'logout-button'].forEach(function (id) {
      el(id).disabled = busy;
    });
  }

  // checkToken asks the server who the stored token belongs to, so that a
  // pasted token shows a name (or the server's error) like a login does.
  function checkToken() {
    return postGraphQL({ query: VIEWER_QUERY }).then(function (result) {
      var msg = firstError(result);
      var viewer = result && result.data ? result.data.viewer : null;
      if (viewer && viewer.name) {
        save(NAME_KEY, viewer.name);
        setStatus('Logged in as ' + viewer.name, 'ok');
      } else if (msg) {
        save(NAME_KEY, null);
        setStatus('Token stored, but the server said: ' + msg, 'error');
      } else {
        save(NAME_KEY, null);
        setStatus('Token stored, but the server does not recognise it', 'error');
      }
    });
  }

  el('login-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var email = el('login-email').value.trim();
    var password = el('login-password').value;
    setBusy(true);
    setStatus('Logging in…', '');
    // Log in without the old token (a stale one must not affect the login),
    // but keep it until the login succeeds: a mistyped password does not
    // log the current member out.
    postGraphQL({ query: LOGIN_MUTATION, variables: { email: email, password: password } }, null, true)
      .then(function (result) {
        var login = result && result.data ? result.data.login : null;
        var msg = firstError(result);
        if (login && login.token) {
          save(TOKEN_KEY, login.token);
          var name = login.member && login.member.name ? login.member.name : '';
          save(NAME_KEY, name || null);
          el('login-password').value = '';
          setStatus(name ? 'Logged in as ' + name : 'Logged in', 'ok');
          renderGraphiQL();
        } else {
          setStatus('Login failed: ' + (msg || 'no token returned'), 'error');
        }
      })
      .then(function () {
        setBusy(false);
      });
  });

  el('token-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var token = el('token-input').value.trim().replace(/^Bearer\s+/i, '');
    if (!token) {
      setStatus('Paste a token first', 'error');
      return;
    }
    save(TOKEN_KEY, token);
    save(NAME_KEY, null);
    el('token-input').value = '';
    setBusy(true);
    setStatus('Checking token…', '');
    renderGraphiQL();
    checkToken().then(function () {
      setBusy(false);
    });
  });

  el('logout-button').addEventListener('click', function () {
    save(TOKEN_KEY, null);
    save(NAME_KEY, null);
    showStoredState();
    renderGraphiQL();
  });

  // --- GraphiQL ----------------------------------------------------------

  var root = null;

  // renderGraphiQL (re)renders GraphiQL with a fresh fetcher. A new fetcher
  // makes GraphiQL fetch the schema again, which matters when introspection
  // needs a logged-in member.
  function renderGraphiQL() {
    if (typeof window.GraphiQL === 'undefined' || typeof window.React === 'undefined' ||
        typeof window.ReactDOM === 'undefined') {
      el('graphiql').textContent = 'GraphiQL failed to load.';
      return;
    }
    var fetcher = function (graphQLParams, opts) {
      return postGraphQL(graphQLParams, opts && opts.headers ? opts.headers : null);
    };
    if (root === null) {
      el('graphiql').textContent = '';
      root = window.ReactDOM.createRoot(el('graphiql'));
    }
    root.render(
      window.React.createElement(window.GraphiQL, {
        fetcher: fetcher,
        defaultQuery: DEFAULT_QUERY,
        shouldPersistHeaders: false
      })
    );
  }

  showStoredState();
  renderGraphiQL();
  // A stored token may have expired or been revoked since it was saved:
  // ask the server, so the bar never claims a login that no longer works.
  if (getToken()) {
    setBusy(true);
    checkToken().then(function () {
      setBusy(false);
    });
  }
})();
