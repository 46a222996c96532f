// Wire check: the official Genesys Cloud JavaScript SDK (purecloud-platform-client-v2)
// calls every LicenseApi method, and the UsersApi method the provider uses to look users
// up by email (postUsersSearch), against the mock API (internal/mockapi) and checks that
// the answers look right. Exits non-zero when a check fails.
//
// Usage: MOCK_URL=http://127.0.0.1:41234 node check.mjs   (run.sh starts the mock)
// Optional: MOCK_CLIENT_ID, MOCK_CLIENT_SECRET (defaults: the mock's defaults).

import assert from 'node:assert/strict';
import platformClient from 'purecloud-platform-client-v2';

const base = new URL(process.env.MOCK_URL ?? '');
const clientId = process.env.MOCK_CLIENT_ID ?? 'mock-client-id';
const clientSecret = process.env.MOCK_CLIENT_SECRET ?? 'mock-client-secret';

const user = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const ROLE_AGENT = '8e2f4a6b-1c3d-4e5f-8a7b-9c0d1e2f3a02';
const ROLE_SUPERVISOR = 'c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e04';

const client = platformClient.ApiClient.instance;
client.setGateway({ host: base.hostname, protocol: base.protocol.replace(':', ''), port: Number(base.port) });
const api = new platformClient.LicenseApi();
const usersApi = new platformClient.UsersApi();
const email = (i) => `user${i}@example.com`;

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}`);
    console.log(typeof err === 'object' ? JSON.stringify(err, null, 2) ?? String(err) : String(err));
    if (err?.stack) console.log(err.stack);
  }
}

// expectError runs a call that must fail and returns the ErrorBody the SDK rejects with.
async function expectError(promise, status, code) {
  let body;
  try {
    await promise;
  } catch (err) {
    body = err;
  }
  assert.ok(body, 'the call should have failed');
  assert.equal(body.status, status, JSON.stringify(body));
  assert.equal(body.code, code);
  assert.match(body.contextId, /^[0-9a-f-]{36}$/);
  assert.deepEqual(body.details, []);
  assert.deepEqual(body.errors, []);
  return body;
}

await check('loginClientCredentialsGrant rejects a wrong secret', async () => {
  let err;
  try {
    await client.loginClientCredentialsGrant(clientId, 'wrong-secret');
  } catch (e) {
    err = e;
  }
  assert.equal(err?.response?.status, 401);
  assert.equal(err.response.data.error, 'invalid_client');
});

await check('loginClientCredentialsGrant', async () => {
  const auth = await client.loginClientCredentialsGrant(clientId, clientSecret);
  assert.ok(auth.accessToken.length >= 32);
  assert.ok(auth.tokenExpiryTime > Date.now() + 60_000);
});

await check('getLicenseDefinitions', async () => {
  const defs = await api.getLicenseDefinitions();
  assert.ok(Array.isArray(defs));
  const ids = defs.map((d) => d.id);
  for (const id of ['communicate', 'collaborate', 'cloudCX1', 'cloudCX2', 'cloudCX3', 'wallboardUser', 'gc2WEMupgrade']) {
    assert.ok(ids.includes(id), `missing ${id}`);
  }
  for (const d of defs) {
    assert.equal(d.selfUri, `/api/v2/license/definitions/${d.id}`);
    assert.equal(typeof d.description, 'string');
    assert.equal(d.permissions, undefined, 'the list omits permissions');
  }
});

await check('getLicenseDefinition', async () => {
  const d = await api.getLicenseDefinition('gc2WEMupgrade');
  assert.equal(d.id, 'gc2WEMupgrade');
  assert.deepEqual(d.prerequisites.map((p) => p.id), ['cloudCX2']);
  assert.ok(d.permissions.ids.length > 0);
  const cx3 = await api.getLicenseDefinition('cloudCX3');
  assert.equal(cx3.comprises[0].id, 'cloudCX2');
  assert.equal(cx3.comprises[0].comprises[0].id, 'cloudCX1');
});

await check('getLicenseDefinition unknown → 404 not.found', async () => {
  await expectError(api.getLicenseDefinition('noSuchLicense'), 404, 'not.found');
});

await check('getLicenseToggle / postLicenseToggle (deprecated)', async () => {
  assert.deepEqual(await api.getLicenseToggle('someFeature'), { featureName: 'someFeature', enabled: true });
  assert.deepEqual(await api.postLicenseToggle('someFeature'), { featureName: 'someFeature', enabled: true });
});

await check('postLicenseOrganization', async () => {
  const statuses = await api.postLicenseOrganization({
    body: {
      assignments: [
        { licenseId: 'cloudCX2', userIdsAdd: [user(1), user(2)], userIdsRemove: [] },
        { licenseId: 'gc2WEMupgrade', userIdsAdd: [user(1), user(3)], userIdsRemove: [] },
        { licenseId: 'wallboardUser', userIdsAdd: ['ghost-user'], userIdsRemove: [user(2)] },
      ],
    },
  });
  assert.deepEqual(statuses, [
    { userId: user(1), licenseId: 'cloudCX2', result: 'Success' },
    { userId: user(2), licenseId: 'cloudCX2', result: 'Success' },
    { userId: user(1), licenseId: 'gc2WEMupgrade', result: 'Success' },
    { userId: user(3), licenseId: 'gc2WEMupgrade', result: 'PrerequisiteMissing' },
    { userId: 'ghost-user', licenseId: 'wallboardUser', result: 'UserNotFound' },
    { userId: user(2), licenseId: 'wallboardUser', result: 'Success' },
  ]);
});

await check('postLicenseOrganization missing field → 400 bad.request', async () => {
  const body = await expectError(
    api.postLicenseOrganization({ body: { assignments: [{ licenseId: 'communicate', userIdsAdd: [] }] } }),
    400,
    'bad.request',
  );
  assert.match(body.message, /assignments\[0\]\.userIdsRemove is required/);
});

await check('getLicenseUser', async () => {
  const u = await api.getLicenseUser(user(1));
  assert.equal(u.id, user(1));
  assert.equal(u.selfUri, `/api/v2/license/users/${user(1)}`);
  assert.deepEqual(u.licenses.map((l) => l.id), ['cloudCX2', 'gc2WEMupgrade']);
  assert.ok(u.licenses[0].permissions.ids.length > 0, 'full definitions');
  await expectError(api.getLicenseUser('ghost-user'), 404, 'not.found');
});

await check('getLicenseUsers', async () => {
  const page = await api.getLicenseUsers({ pageSize: 3, pageNumber: 1 });
  assert.equal(page.pageSize, 3);
  assert.equal(page.pageNumber, 1);
  assert.ok(page.total >= 3);
  assert.equal(page.pageCount, Math.ceil(page.total / 3));
  assert.deepEqual(page.entities.map((e) => e.id), [user(1), user(2), user(3)]);
  assert.deepEqual(page.entities[0].licenses, ['cloudCX2', 'gc2WEMupgrade']);
  const defaults = await api.getLicenseUsers();
  assert.equal(defaults.pageSize, 25);
  assert.equal(defaults.pageNumber, 1);
  await expectError(api.getLicenseUsers({ pageSize: 1000 }), 400, 'invalid.value');
});

await check('postLicenseUsers', async () => {
  const m = await api.postLicenseUsers({ body: [user(1), user(2), 'ghost-user'] });
  assert.deepEqual(m, { [user(1)]: ['cloudCX2', 'gc2WEMupgrade'], [user(2)]: ['cloudCX2'] });
});

await check('postLicenseInfer', async () => {
  assert.deepEqual(await api.postLicenseInfer({ body: [ROLE_AGENT, ROLE_SUPERVISOR, 'unknown-role'] }), [
    'cloudCX1',
    'cloudCX3',
    'wallboardUser',
  ]);
});

await check('postLicenseInferPermissions (preview)', async () => {
  assert.equal(typeof api.postLicenseInferPermissions, 'function', 'this SDK version has postLicenseInferPermissions');
  assert.deepEqual(await api.postLicenseInferPermissions({ body: ['analytics:queueObservation:view'] }), ['wallboardUser']);
});

await check('getLicenseOrganization (legacy)', async () => {
  // Removed from newer SDKs; call the same path through the SDK's ApiClient then.
  const org =
    typeof api.getLicenseOrganization === 'function'
      ? await api.getLicenseOrganization()
      : await client.callApi('/api/v2/license/organization', 'GET', {}, {}, {}, {}, null, ['PureCloud OAuth'], ['application/json'], ['application/json']);
  assert.equal(typeof org.id, 'string');
  assert.equal(typeof org.name, 'string');
  assert.deepEqual(org.licenses.cloudCX2.map((u) => u.id), [user(1), user(2)]);
  assert.deepEqual(org.licenses.communicate, []);
});

// The Users API search, as purecloud_users_by_email sends it: one EXACT criterion on email
// with a list of values (UserSearchRequest → UsersSearchResponse).
const byEmail = (values, pageSize = 100, pageNumber = 1) => ({
  pageSize,
  pageNumber,
  query: [{ type: 'EXACT', fields: ['email'], values }],
});

await check('postUsersSearch (EXACT on email, several values)', async () => {
  const res = await usersApi.postUsersSearch(byEmail(['USER2@example.com', email(1), 'nobody@example.com']));
  assert.equal(res.total, 2);
  assert.equal(res.pageCount, 1);
  assert.equal(res.pageSize, 100);
  assert.equal(res.pageNumber, 1);
  assert.deepEqual(res.types, ['users']);
  assert.deepEqual(res.results.map((u) => [u.id, u.email]), [[user(1), email(1)], [user(2), email(2)]]);
  for (const u of res.results) {
    assert.equal(u.state, 'active');
    assert.equal(typeof u.name, 'string');
    assert.equal(typeof u.version, 'number', 'User.version is required by the SDK model');
    assert.equal(u.selfUri, `/api/v2/users/${u.id}`);
    assert.equal(typeof u.division.id, 'string');
  }
});

await check('postUsersSearch without a match → results []', async () => {
  const res = await usersApi.postUsersSearch(byEmail(['nobody@example.com']));
  assert.equal(res.total, 0);
  assert.deepEqual(res.results, []);
});

await check('postUsersSearch pages', async () => {
  const emails = Array.from({ length: 10 }, (_, i) => email(i + 1));
  const res = await usersApi.postUsersSearch(byEmail(emails, 4, 3));
  assert.equal(res.total, 10);
  assert.equal(res.pageCount, 3);
  assert.deepEqual(res.results.map((u) => u.id), [user(9), user(10)]);
});

await check('postUsersSearch refusals → 400 invalid.value', async () => {
  await expectError(usersApi.postUsersSearch(byEmail([email(1)], 101)), 400, 'invalid.value');
  const tooMany = Array.from({ length: 101 }, (_, i) => `someone${i}@example.com`);
  await expectError(usersApi.postUsersSearch(byEmail(tooMany)), 400, 'invalid.value');
  await expectError(
    usersApi.postUsersSearch({ query: [{ type: 'CONTAINS', fields: ['email'], value: 'user' }] }),
    400,
    'invalid.value',
  );
});

await check('extended responses carry ININ-Correlation-Id', async () => {
  client.setReturnExtendedResponses(true);
  try {
    const res = await api.getLicenseDefinitions();
    assert.equal(res.status, 200);
    assert.match(res.headers['inin-correlation-id'], /^[0-9a-f-]{36}$/);
  } finally {
    client.setReturnExtendedResponses(false);
  }
});

await check('an invalid token → 401', async () => {
  const saved = client.authentications['PureCloud OAuth'].accessToken;
  client.setAccessToken('not-a-token');
  try {
    await expectError(api.getLicenseDefinitions(), 401, 'bad.credentials');
  } finally {
    client.setAccessToken(saved);
  }
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
