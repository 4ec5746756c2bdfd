// panva/oidc-provider (OpenID Certified) on loopback for the browser tests of single sign-on.
// Reads its settings as JSON from PROVIDER_SETTINGS: {client_id, client_secret, redirect_uri,
// post_logout_redirect_uri, accounts: {login name: claims}}; an account's `userinfo_only` lists
// the claims it releases at the UserInfo endpoint and not in the ID token. Listens on a port the kernel picks, so two runs never race
// for one, and prints {"issuer": ...} as its first line once it answers.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import { Provider } from 'oidc-provider';

const settings = JSON.parse(process.env.PROVIDER_SETTINGS);
const server = createServer();

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: settings.client_id,
        client_secret: settings.client_secret,
        redirect_uris: [settings.redirect_uri],
        post_logout_redirect_uris: [settings.post_logout_redirect_uri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    // By default only public clients must use PKCE; the app is confidential and uses it anyway.
    pkce: { required: () => true },
    // In the code flow this provider puts only the openid scope's claims in the ID token
    // (conformIdTokenClaims, OpenID Connect Core 5.4); a claim of profile reaches the UserInfo
    // endpoint only.
    claims: {
      openid: ['sub', 'employee_id'],
      profile: ['name'],
    },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig' }] },
    async findAccount(_ctx, sub) {
      if (!settings.accounts[sub]) return undefined;
      const { userinfo_only: withheld = [], ...claims } = settings.accounts[sub];
      return {
        accountId: sub,
        // As a provider does that releases such a claim with a scope other than openid.
        claims: async (use) => {
          const released = { sub, ...claims };
          if (use === 'id_token') for (const name of withheld) delete released[name];
          return released;
        },
      };
    },
  });
  // To stderr, which the test keeps in artifacts/oidc-provider.log: why a request was refused.
  const errors = ['authorization', 'grant', 'end_session', 'userinfo'].map((e) => `${e}.error`);
  for (const event of ['server_error', ...errors]) {
    provider.on(event, (_ctx, err) => console.error(event, err.message, err.error_description));
  }
  server.on('request', provider.callback());
  console.log(JSON.stringify({ issuer }));
});
