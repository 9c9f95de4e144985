import { withTenant } from '@neurosphere/db';
import { createTestTenant } from '@neurosphere/db/testing';
import { startMailCatcher } from '@neurosphere/testing';
import type { CaughtMail, MailCatcher } from '@neurosphere/testing';
import request from 'supertest';
import { bearer, createAdmin, startHarness, platformRead } from './harness';
import type { Harness, TestAdmin } from './harness';

function tokenOf(mail: CaughtMail): string {
  const link = mail.links[0];
  if (!link) throw new Error(`no link in mail "${mail.subject}"`);
  return decodeURIComponent(new URL(link).hash.slice('#token='.length));
}

describe('team: invitations, roles, removal', () => {
  let harness: Harness;
  let mail: MailCatcher;
  let customerId: number;
  let businessName: string;
  let owner: TestAdmin;
  let asOwner: string;

  beforeAll(async () => {
    mail = await startMailCatcher();
    harness = startHarness({ smtpUrl: mail.smtpUrl });
    const tenant = await createTestTenant(harness.platformDb);
    ({ customerId } = tenant);
    businessName = tenant.customer.businessName;
    owner = await createAdmin(harness.platformDb, { password: true, memberships: [{ customerId, role: 'owner' }] });
    asOwner = await bearer(harness.tokens, owner);
  });
  afterAll(async () => {
    await harness.close();
    await mail.close();
  });

  const path = (suffix: string) => `/v1/tenants/${customerId}${suffix}`;
  const invite = (email: string, role: string, as = asOwner) =>
    request(harness.app).post(path('/invitations')).set('authorization', as).send({ email, role });
  const tenantAudit = () =>
    withTenant(harness.db, customerId, (tx) => tx.auditLog.findMany({ where: { customerId }, orderBy: { createdAt: 'asc' } }));

  it('invites a new person by mail; accepting sets their password and makes them a member', async () => {
    const email = `new-${Date.now()}@test.example`;
    const invited = await invite(email.toUpperCase(), 'admin');
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({
      success: true,
      mail_sent: true,
      invitation: { email, role: 'admin', invited_by: `admin:${owner.principal.id}` },
    });
    expect(invited.body).not.toHaveProperty('invitation_url');

    const mailed = await mail.waitForMail((candidate) => candidate.to.includes(email));
    expect(mailed.subject).toBe(`You are invited to the ${businessName} team`);
    expect(mailed.links[0]).toMatch(/^http:\/\/console\.test\/accept-invitation#token=nsi_\d+-[0-9a-f]{32}_/);
    const token = tokenOf(mailed);

    const preview = await request(harness.app).post('/v1/auth/invitations/preview').send({ token });
    expect(preview.body).toEqual({
      success: true,
      invitation: {
        email,
        role: 'admin',
        business_name: businessName,
        expires_at: invited.body.invitation.expires_at,
        needs_password: true,
      },
    });
    const listed = await request(harness.app).get(path('/members')).set('authorization', asOwner);
    expect(listed.body.invitations).toEqual([invited.body.invitation]);

    const noPassword = await request(harness.app).post('/v1/auth/invitations/accept').send({ token });
    expect(noPassword.status).toBe(400);
    expect(noPassword.body.details).toEqual([{ path: 'body.password', message: 'password is required to set up your account' }]);
    const accepted = await request(harness.app).post('/v1/auth/invitations/accept').send({ token, password: 'my-new-team-password' });
    expect(accepted.body).toEqual({ success: true, customer_id: customerId, role: 'admin', email });

    const again = await request(harness.app).post('/v1/auth/invitations/accept').send({ token, password: 'my-new-team-password' });
    expect(again.status).toBe(400);
    expect(again.body.details).toEqual([
      { path: 'body.token', message: 'This invitation link is invalid, was already used or has expired: ask for a new invitation' },
    ]);

    const login = await request(harness.app).post('/v1/auth/login').send({ email, password: 'my-new-team-password' });
    expect(login.body.user.memberships).toEqual([{ customer_id: customerId, role: 'admin' }]);
    const actions = (await tenantAudit()).map((row) => row.action);
    expect(actions).toEqual(expect.arrayContaining(['member.invited', 'member.joined']));
  });

  it('gives an existing account just the membership (its password stays)', async () => {
    const existing = await createAdmin(harness.platformDb, { password: true });
    await invite(existing.email, 'viewer');
    const token = tokenOf(await mail.waitForMail((candidate) => candidate.to.includes(existing.email)));
    expect((await request(harness.app).post('/v1/auth/invitations/preview').send({ token })).body.invitation.needs_password).toBe(false);
    const withPassword = await request(harness.app).post('/v1/auth/invitations/accept').send({ token, password: 'trying-to-overwrite-it' });
    expect(withPassword.status).toBe(400);
    expect((await request(harness.app).post('/v1/auth/invitations/accept').send({ token })).body).toMatchObject({
      success: true,
      role: 'viewer',
    });
    const login = await request(harness.app).post('/v1/auth/login').send({ email: existing.email, password: existing.password });
    expect(login.body.user.memberships).toEqual([{ customer_id: customerId, role: 'viewer' }]);
  });

  it('refuses to invite a member again (409); a new invitation replaces a pending one, and a withdrawn one stops working', async () => {
    const conflict = await invite(owner.email, 'viewer');
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toBe(`${owner.email} is already a member of this team`);

    const email = `twice-${Date.now()}@test.example`;
    const first = await invite(email, 'viewer');
    const firstToken = tokenOf(await mail.waitForMail((candidate) => candidate.to.includes(email)));
    const second = await invite(email, 'admin');
    const secondMail = await mail.waitForMail((candidate) => candidate.to.includes(email) && tokenOf(candidate) !== firstToken);
    expect((await request(harness.app).post('/v1/auth/invitations/preview').send({ token: firstToken })).status).toBe(400);

    const withdraw = await request(harness.app)
      .delete(path(`/invitations/${second.body.invitation.id}`))
      .set('authorization', asOwner);
    expect(withdraw.body).toEqual({ success: true });
    expect(
      (
        await request(harness.app)
          .post('/v1/auth/invitations/preview')
          .send({ token: tokenOf(secondMail) })
      ).status,
    ).toBe(400);
    expect(
      (
        await request(harness.app)
          .delete(path(`/invitations/${first.body.invitation.id}`))
          .set('authorization', asOwner)
      ).status,
    ).toBe(404);
  });

  it('changes roles and removes members, but never the last owner (409)', async () => {
    const { customerId: soloTenant } = await createTestTenant(harness.platformDb);
    const solo = await createAdmin(harness.platformDb, { password: true, memberships: [{ customerId: soloTenant, role: 'owner' }] });
    const second = await createAdmin(harness.platformDb, { memberships: [{ customerId: soloTenant, role: 'viewer' }] });
    const asSolo = await bearer(harness.tokens, solo);
    const members = (await request(harness.app).get(`/v1/tenants/${soloTenant}/members`).set('authorization', asSolo)).body.members as {
      id: string;
      email: string;
    }[];
    const soloMember = members.find((member) => member.email === solo.email)!;
    const secondMember = members.find((member) => member.email === second.email)!;
    const member = (id: string) => `/v1/tenants/${soloTenant}/members/${id}`;

    const demote = await request(harness.app).patch(member(soloMember.id)).set('authorization', asSolo).send({ role: 'admin' });
    expect(demote.status).toBe(409);
    expect(demote.body).toEqual({
      success: false,
      code: 'CONFLICT',
      error: `${solo.email} is the last owner of this team and cannot be demoted: make another member owner first`,
    });
    const remove = await request(harness.app).delete(member(soloMember.id)).set('authorization', asSolo);
    expect(remove.status).toBe(409);
    expect(remove.body.error).toBe(`${solo.email} is the last owner of this team and cannot be removed: make another member owner first`);

    const promoted = await request(harness.app).patch(member(secondMember.id)).set('authorization', asSolo).send({ role: 'owner' });
    expect(promoted.body.member).toMatchObject({ email: second.email, role: 'owner' });
    expect((await request(harness.app).patch(member(soloMember.id)).set('authorization', asSolo).send({ role: 'viewer' })).status).toBe(
      200,
    );
    // solo's access token still says owner until it is refreshed, but the guard reads the team itself.
    expect((await request(harness.app).delete(member(secondMember.id)).set('authorization', asSolo)).status).toBe(409);

    const asSecond = await bearer(harness.tokens, {
      ...second,
      principal: { ...second.principal, memberships: [{ customer_id: soloTenant, role: 'owner' }] },
    });
    expect((await request(harness.app).delete(member(soloMember.id)).set('authorization', asSecond)).body).toEqual({ success: true });
    const left = (await request(harness.app).get(`/v1/tenants/${soloTenant}/members`).set('authorization', asSecond)).body.members;
    expect(left.map((row: { email: string }) => row.email)).toEqual([second.email]);
    expect((await request(harness.app).delete(member(soloMember.id)).set('authorization', asSecond)).status).toBe(404);

    const audit = await withTenant(harness.db, soloTenant, (tx) =>
      tx.auditLog.findMany({ where: { customerId: soloTenant }, orderBy: { createdAt: 'asc' } }),
    );
    expect(audit.map((row) => [row.action, row.details])).toEqual([
      ['member.role_changed', { email: second.email, from: 'viewer', to: 'owner' }],
      ['member.role_changed', { email: solo.email, from: 'owner', to: 'viewer' }],
      ['member.removed', { email: solo.email, role: 'viewer' }],
    ]);
  });

  it('admins may list the team but not change it; the body names what is wrong', async () => {
    const admin = await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'admin' }] });
    const asAdmin = await bearer(harness.tokens, admin);
    expect((await request(harness.app).get(path('/members')).set('authorization', asAdmin)).status).toBe(200);
    const refused = await invite('someone@test.example', 'viewer', asAdmin);
    expect(refused.body).toEqual({
      success: false,
      code: 'FORBIDDEN',
      error: 'This route needs the owner role for this tenant; you have admin',
    });
    const invalid = await invite('not-an-email', 'king');
    expect(invalid.status).toBe(400);
    expect(invalid.body.details).toEqual([
      { path: 'body.email', message: 'email must be an email address' },
      { path: 'body.role', message: "Invalid enum value. Expected 'viewer' | 'admin' | 'owner', received 'king'" },
    ]);
  });

  it('gives the owner the link itself when the mail cannot be sent, and counts the failure', async () => {
    const noMail = startHarness();
    try {
      const email = `unmailed-${Date.now()}@test.example`;
      const response = await request(noMail.app)
        .post(path('/invitations'))
        .set('authorization', await bearer(noMail.tokens, owner))
        .send({ email, role: 'viewer' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        mail_sent: false,
        invitation_url: expect.stringMatching(/^http:\/\/console\.test\/accept-invitation#token=nsi_/),
      });
      const token = decodeURIComponent(new URL(response.body.invitation_url).hash.slice('#token='.length));
      expect((await request(noMail.app).post('/v1/auth/invitations/accept').send({ token, password: 'a-password-of-mine' })).status).toBe(
        200,
      );
      expect(await noMail.metrics.mailFailed.get()).toMatchObject({ values: [{ labels: { kind: 'invitation' }, value: 1 }] });
      const stored = await platformRead(noMail.platformDb, (tx) => tx.tenantInvitation.findFirstOrThrow({ where: { customerId, email } }));
      expect(Buffer.from(stored.secretHash).toString('hex')).not.toContain(token);
    } finally {
      await noMail.close();
    }
  });
});
