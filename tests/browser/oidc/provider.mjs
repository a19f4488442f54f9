// A real OpenID Connect provider (oidc-provider) for the browser tests, on loopback only.
//
// Usage: node tests/browser/oidc/provider.mjs <config.json>
//
// The config names the port (0 picks a free one), the issuer (optional, derived from the
// port), the sign-in page's title, the clients and the accounts. Once listening, exactly
// one line goes to stdout: "ready <issuer>". Everything else (requests, errors, the
// library's notices) goes to stderr. The process ends when stdin closes or on SIGTERM.
//
// This is a test peer, not product code: state lives in memory and dies with the process.

import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';

// oidc-provider prints its notices with console.info; stdout is reserved for the ready
// line the Python side waits for, so everything the console says goes to stderr.
console.log = (...args) => console.error(...args);
console.info = (...args) => console.error(...args);

// Imported after the console is redirected, so nothing it says at load time reaches stdout.
const { default: Provider, errors } = await import('oidc-provider');

const SCOPES = ['openid', 'profile', 'email'];
const REFUSED_DESCRIPTION = 'This account may not sign in to Tandem.';
const CANCELLED_DESCRIPTION = 'The sign-in was cancelled.';
const WRONG_CREDENTIALS = 'Wrong e-mail or password.';

function fail(message) {
  console.error(`oidc peer: ${message}`);
  process.exit(2);
}

// Logged and survived: one bad request must not take the provider down mid-test.
process.on('uncaughtException', (error) => {
  console.error('oidc peer: uncaught exception:', error);
});
process.on('unhandledRejection', (error) => {
  console.error('oidc peer: unhandled rejection:', error);
});

const configPath = process.argv[2];
if (!configPath) {
  fail('usage: node provider.mjs <config.json>');
}
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const title = config.title || 'Sign in';

// A stable subject per account, so a second run of the same test gets the same sub.
function subjectFor(email) {
  return createHash('sha256').update(`tandem-oidc-peer:${email.trim().toLowerCase()}`).digest('hex').slice(0, 32);
}

const accountsBySub = new Map();
for (const account of config.accounts || []) {
  accountsBySub.set(subjectFor(account.email), { ...account, sub: subjectFor(account.email) });
}

function accountByCredentials(email, password) {
  const account = accountsBySub.get(subjectFor(email || ''));
  // Compared as plain strings: these are throwaway test passwords.
  return account && account.password === password ? account : undefined;
}

// --- storage --------------------------------------------------------------------------
// A small in-memory adapter of our own (the library's built-in one warns that it is for
// development only, which is noise in a test log). Expiry is honoured on read.

const store = new Map();
const grantMembers = new Map(); // grantId -> Set of store keys, for revokeByGrantId
const sessionUids = new Map(); // session uid -> session id
const userCodes = new Map(); // user code -> device code id (unused here, but cheap)

class MemoryAdapter {
  constructor(model) {
    this.model = model;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
    store.set(key, { payload, expiresAt });
    if (payload.grantId) {
      if (!grantMembers.has(payload.grantId)) grantMembers.set(payload.grantId, new Set());
      grantMembers.get(payload.grantId).add(key);
    }
    if (this.model === 'Session' && payload.uid) sessionUids.set(payload.uid, id);
    if (payload.userCode) userCodes.set(payload.userCode, id);
  }

  async find(id) {
    const key = this.key(id);
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  async findByUid(uid) {
    const id = sessionUids.get(uid);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode) {
    const id = userCodes.get(userCode);
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id) {
    const payload = await this.find(id);
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    const key = this.key(id);
    const entry = store.get(key);
    store.delete(key);
    if (entry?.payload.uid && sessionUids.get(entry.payload.uid) === id) {
      sessionUids.delete(entry.payload.uid);
    }
  }

  async revokeByGrantId(grantId) {
    for (const key of grantMembers.get(grantId) || []) store.delete(key);
    grantMembers.delete(grantId);
  }
}

// --- pages ----------------------------------------------------------------------------

function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

const STYLE = `
  body { font-family: system-ui, sans-serif; max-width: 24rem; margin: 3rem auto; padding: 0 1rem; }
  label { display: block; margin-top: 1rem; }
  input { display: block; width: 100%; box-sizing: border-box; padding: .4rem; font-size: 1rem; }
  button { margin-top: 1rem; padding: .4rem 1rem; font-size: 1rem; }
  .error { color: #a00000; font-weight: bold; }
`;

function page(heading, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(heading)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(heading)}</h1>
${body}
</main>
</body>
</html>`;
}

function signInPage(uid, { email = '', error = '' } = {}) {
  const message = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
  return page(title, `${message}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="email">E-mail</label>
<input id="email" name="email" type="email" autocomplete="username" value="${escapeHtml(email)}" autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort">
<button type="submit">Cancel</button>
</form>`);
}

// --- the provider -----------------------------------------------------------------------

// Keys made fresh at every start: nothing signed by one run must be trusted by the next.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };

function buildProvider(issuer) {
  const provider = new Provider(issuer, {
    adapter: MemoryAdapter,
    clients: (config.clients || []).map((client) => ({
      client_id: client.client_id,
      client_secret: client.client_secret,
      redirect_uris: client.redirect_uris,
      post_logout_redirect_uris: client.post_logout_redirect_uris || [],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      // Either basic or post is accepted at the token endpoint whatever is registered.
      token_endpoint_auth_method: client.token_endpoint_auth_method || 'client_secret_basic',
    })),
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: SCOPES,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Put email and name in the ID token too, not only at userinfo: a relying party that
    // reads only the ID token still sees who signed in.
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      const account = accountsBySub.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { sub, email: account.email, email_verified: true, name: account.name };
        },
      };
    },
    jwks: { keys: [signingKey] },
    cookies: {
      keys: [randomBytes(32).toString('hex')],
      // Not marked secure: the issuer is plain http on loopback. oidc-provider only marks
      // cookies secure when the request itself is https, so this is the default anyway.
      long: { httpOnly: true, sameSite: 'lax', secure: false },
      short: { httpOnly: true, sameSite: 'lax', secure: false },
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          // The library's form carries the xsrf token; logout=yes ends the whole session,
          // not only this client's part of it.
          ctx.body = page(`Sign out of ${title}?`, `${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = page(`Signed out of ${title}`, '<p>You are signed out.</p>');
        },
      },
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Sign-in error', Object.entries(out)
        .map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(value)}</p>`)
        .join('\n'));
    },
    // Avoid the library's "you SHOULD change" notices for defaults that are fine here.
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 24 * 3600,
    },
  });
  // Not behind a proxy: X-Forwarded-* headers are not trusted (this is also the default).
  provider.proxy = false;

  // A sign-out without post_logout_redirect_uri would end on the library's success page;
  // the tests expect to land back at the client, so send them to its registered one.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'end_session_confirm' && ctx.status === 303) {
      const location = ctx.response.get('Location');
      const uris = ctx.oidc.client?.postLogoutRedirectUris || [];
      if (uris.length && location.startsWith(ctx.oidc.urlFor('end_session_success'))) {
        ctx.redirect(uris[0]);
        ctx.status = 303;
      }
    }
  });

  // The client-facing errors go to the log so a failing test shows why the provider said no.
  for (const event of ['authorization.error', 'grant.error', 'userinfo.error', 'end_session.error',
    'discovery.error', 'jwks.error', 'introspection.error', 'revocation.error']) {
    provider.on(event, (_ctx, error) => {
      console.error(`oidc peer: ${event}: ${error.error || error.name}: ${error.error_description || error.message}`);
    });
  }
  provider.on('server_error', (_ctx, error) => {
    console.error('oidc peer: server_error:', error);
  });
  return provider;
}

// --- interactions -----------------------------------------------------------------------

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sendHtml(res, status, html) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(html);
}

// Grants what the client asked for, so there is never a consent screen.
async function grantFor(provider, interaction, accountId) {
  const { params, prompt } = interaction;
  let grant;
  if (interaction.grantId && interaction.session?.accountId === accountId) {
    grant = await provider.Grant.find(interaction.grantId);
  }
  grant ||= new provider.Grant({ accountId, clientId: params.client_id });
  const requested = String(params.scope || '').split(' ').filter((s) => SCOPES.includes(s));
  grant.addOIDCScope(requested.join(' '));
  const details = prompt?.details || {};
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes || {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

async function handleInteraction(provider, req, res, uid, action) {
  const interaction = await provider.interactionDetails(req, res);
  if (interaction.uid !== uid) {
    sendHtml(res, 400, page('Sign-in error', '<p>This sign-in has expired. Start again.</p>'));
    return;
  }

  if (req.method === 'GET' && !action) {
    if (interaction.prompt.name === 'consent') {
      // Signed in already (SSO): grant and go straight back to the client.
      const grantId = await grantFor(provider, interaction, interaction.session.accountId);
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    sendHtml(res, 200, signInPage(uid));
    return;
  }

  if (req.method === 'POST' && action === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: CANCELLED_DESCRIPTION,
    }, { mergeWithLastSubmission: false });
    return;
  }

  if (req.method === 'POST' && action === 'login') {
    const form = await readForm(req);
    const email = form.get('email') || '';
    const account = accountByCredentials(email, form.get('password') || '');
    if (!account) {
      sendHtml(res, 200, signInPage(uid, { email, error: WRONG_CREDENTIALS }));
      return;
    }
    if (account.refused) {
      await provider.interactionFinished(req, res, {
        error: 'access_denied', error_description: REFUSED_DESCRIPTION,
      }, { mergeWithLastSubmission: false });
      return;
    }
    const grantId = await grantFor(provider, interaction, account.sub);
    await provider.interactionFinished(req, res, {
      login: { accountId: account.sub },
      consent: { grantId },
    }, { mergeWithLastSubmission: false });
    return;
  }

  sendHtml(res, 405, page('Sign-in error', '<p>Method not allowed.</p>'));
}

// --- the server -------------------------------------------------------------------------

let provider;
let callback;

const server = createServer(async (req, res) => {
  res.on('finish', () => {
    console.error(`${req.method} ${req.url.split('?')[0]} ${res.statusCode}`);
  });
  const { pathname } = new URL(req.url, 'http://127.0.0.1');
  const match = pathname.match(/^\/interaction\/([^/]+)(?:\/(login|abort))?\/?$/);
  if (!match) {
    callback(req, res);
    return;
  }
  try {
    await handleInteraction(provider, req, res, match[1], match[2]);
  } catch (error) {
    if (error instanceof errors.SessionNotFound) {
      // The interaction cookie is gone or expired: nothing to resume.
      sendHtml(res, 400, page('Sign-in error', '<p>This sign-in has expired. Start again.</p>'));
      return;
    }
    console.error('oidc peer: interaction failed:', error);
    if (!res.headersSent) sendHtml(res, 500, page('Sign-in error', '<p>Something went wrong.</p>'));
  }
});

server.listen(config.port || 0, '127.0.0.1');
await once(server, 'listening');
const { port } = server.address();
const issuer = config.issuer || `http://127.0.0.1:${port}`;
provider = buildProvider(issuer);
callback = provider.callback();

// oidc-provider checks static clients only when first used; check them now so a bad
// config fails the start (with the reason in the log) rather than a test's first sign-in.
for (const client of config.clients || []) {
  try {
    await provider.Client.find(client.client_id);
  } catch (error) {
    fail(`client ${client.client_id}: ${error.error_description || error.message}`);
  }
}

process.stdout.write(`ready ${issuer}\n`);

function shutdown(code = 0) {
  server.close();
  server.closeAllConnections();
  process.exit(code);
}

// Bound to the parent: when it goes (or closes our stdin), we go too.
process.stdin.on('end', () => shutdown(0));
process.stdin.on('close', () => shutdown(0));
process.stdin.resume();
process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));
