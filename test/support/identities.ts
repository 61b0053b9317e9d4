// Test setup for access-control tests: IAM users, roles and sessions with credentials and inline
// identity policies, created through the same administration functions the `trent` CLI uses.
import { createAccount, createRole, createUser, issueAccessKey, putIdentityPolicy } from '../../src/auth/principal-admin.js'
import { createRoleSession } from '../../src/auth/role-session.js'
import type { Credentials, Harness } from './harness.js'
import { TEST_ACCOUNT } from './harness.js'

export interface TestIdentity {
  arn: string
  credentials: Credentials
}

/** `{"Version":"2012-10-17","Statement":[...]}` as text. */
export function policyText(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements })
}

/** Adds an account (no credentials) if it does not exist yet. */
export async function ensureAccount(h: Harness, accountId: string): Promise<void> {
  if (!(await h.services.store.getAccount(accountId))) await createAccount(h.services.store, accountId, h.clock.now())
}

/** A user with an access key and the given inline identity policies (name → statements). */
export async function addUser(h: Harness, name: string, policies: Record<string, object[]> = {}, accountId = TEST_ACCOUNT): Promise<TestIdentity> {
  const { store, rootKey } = h.services
  await ensureAccount(h, accountId)
  const user = await createUser(store, accountId, name, '/', h.clock.now())
  for (const [policyName, statements] of Object.entries(policies)) await putIdentityPolicy(store, user.arn, policyName, policyText(...statements), h.clock.now())
  const credentials = await issueAccessKey(store, rootKey, accountId, user.arn, h.clock.now())
  return { arn: user.arn, credentials }
}

/** Root credentials for a further account. */
export async function addRootCredentials(h: Harness, accountId: string): Promise<TestIdentity> {
  await ensureAccount(h, accountId)
  const arn = `arn:aws:iam::${accountId}:root`
  return { arn, credentials: await issueAccessKey(h.services.store, h.services.rootKey, accountId, arn, h.clock.now()) }
}

/** A role with inline policies, and a session of it valid for `seconds`. */
export async function addRoleSession(h: Harness, roleName: string, sessionName: string, policies: Record<string, object[]> = {}, seconds = 3600): Promise<TestIdentity & { roleArn: string }> {
  const { store, rootKey } = h.services
  const role = await createRole(store, TEST_ACCOUNT, roleName, '/', h.clock.now())
  for (const [policyName, statements] of Object.entries(policies)) await putIdentityPolicy(store, role.arn, policyName, policyText(...statements), h.clock.now())
  const session = await createRoleSession(store, rootKey, role, sessionName, seconds, h.clock.now())
  return {
    arn: session.arn, roleArn: role.arn,
    credentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken },
  }
}
