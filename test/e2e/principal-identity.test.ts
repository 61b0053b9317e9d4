// A principal is its unique id, not its name, end to end: the real server, principals made and deleted with
// the `trent` CLI, @aws-sdk/client-kms as the callers. A user or role deleted and re-created under the
// same name inherits nothing its predecessor was given, and readers see the old unique id, as in AWS.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { KMS } from '@aws-sdk/client-kms'
import { assertSdkError, kmsClient, type Credentials } from './support/clients.js'
import { E2E_ACCOUNT_ID, cleanupTrent, startTrent, type TrentProcess } from './support/server.js'
import { createUserWithKey, trentCli } from './support/trent-cli.js'

const T = { timeout: 120_000 }
const ROOT = `arn:aws:iam::${E2E_ACCOUNT_ID}:root`

let server: TrentProcess
let admin: KMS
const clients: KMS[] = []

const trent = (...args: string[]) => trentCli(server.dataDir, ...args)

function client(credentials: Credentials & { sessionToken?: string }): KMS {
  const kms = kmsClient(server.url, { credentials })
  clients.push(kms)
  return kms
}

/** Creates the user with a fresh access key; returns its client, ARN and unique id. */
async function makeUser(name: string): Promise<{ kms: KMS; arn: string; id: string }> {
  // Each test starts from no such user, whatever an earlier failing test left behind.
  await trent('user', 'delete', '--name', name).catch(() => undefined)
  const { arn, userId, credentials } = await createUserWithKey(server.dataDir, E2E_ACCOUNT_ID, name)
  return { kms: client(credentials), arn, id: userId }
}

async function makeRoleSession(role: string, sessionName: string): Promise<{ kms: KMS; arn: string }> {
  const minted = await trent('role-session', 'create', '--role', role, '--session-name', sessionName, '--duration-seconds', '900')
  const c = minted.Credentials as Record<string, string>
  return { kms: client({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }), arn: String((minted.AssumedRoleUser as { Arn: string }).Arn) }
}

const denied = (who: string, action: string, resource: string) =>
  `User: ${who} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: [
  { Sid: 'Root', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }, ...statements,
] })
const allowUse = (arn: string) => ({ Sid: 'Use', Effect: 'Allow', Principal: { AWS: arn }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' })

async function newKey(keyPolicy?: string): Promise<{ keyId: string; keyArn: string }> {
  const meta = (await admin.createKey({ Description: 'principal identity e2e', ...(keyPolicy ? { Policy: keyPolicy } : {}) })).KeyMetadata!
  return { keyId: meta.KeyId!, keyArn: meta.Arn! }
}

async function principalsInPolicy(keyId: string): Promise<unknown[]> {
  const doc = JSON.parse((await admin.getKeyPolicy({ KeyId: keyId, PolicyName: 'default' })).Policy!) as { Statement: { Principal: { AWS: unknown } }[] }
  return doc.Statement.map((s) => s.Principal.AWS)
}

/** `trent policy simulate`: its decision (exit 0 allow, 3 deny). */
async function simulate(principal: string, keyId: string): Promise<string> {
  try {
    return String((await trent('policy', 'simulate', '--principal', principal, '--action', 'kms:Decrypt', '--key', keyId)).Decision)
  } catch (e) {
    return String((JSON.parse((e as { stdout: string }).stdout) as { Decision: string }).Decision)
  }
}

before(async () => {
  server = await startTrent()
  admin = kmsClient(server.url)
}, T)

after(async () => {
  admin?.destroy()
  for (const c of clients) c.destroy()
  await cleanupTrent()
}, T)

test('a principal is its unique id, not its name: a re-created user is not granted what the key policy gave the deleted one', T, async () => {
  const carol = await makeUser('carol')
  const { keyId, keyArn } = await newKey(policy(allowUse(carol.arn)))
  const sealed = await carol.kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('carol data') })
  assert.equal(await simulate(carol.arn, keyId), 'ALLOW')
  await trent('user', 'delete', '--name', 'carol')
  const newCarol = await makeUser('carol')
  assert.notEqual(newCarol.id, carol.id)
  await assertSdkError(newCarol.kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob }), 'AccessDeniedException', denied(carol.arn, 'kms:Decrypt', keyArn))
  // AWS shows a deleted principal of a resource policy as its unique id, since no ARN names it any more.
  assert.deepEqual(await principalsInPolicy(keyId), [ROOT, carol.id])
  assert.equal(await simulate(carol.arn, keyId), 'DENY')
  await trent('user', 'delete', '--name', 'carol')
})

test('a principal is its unique id, not its name: a grant to a deleted user does not work for a re-created one', T, async () => {
  const carol = await makeUser('carol')
  const { keyId, keyArn } = await newKey()
  const { GrantId } = await admin.createGrant({ KeyId: keyId, GranteePrincipal: carol.arn, RetiringPrincipal: carol.arn, Operations: ['Encrypt', 'Decrypt'] })
  const sealed = await carol.kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('carol data') })
  await trent('user', 'delete', '--name', 'carol')
  const newCarol = await makeUser('carol')
  await assertSdkError(newCarol.kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob }), 'AccessDeniedException', denied(carol.arn, 'kms:Decrypt', keyArn))
  // ListGrants shows the grantee and retiring principal as the deleted user's unique id, as AWS does.
  const { Grants } = await admin.listGrants({ KeyId: keyId })
  assert.deepEqual(Grants?.map((g) => [g.GrantId, g.GranteePrincipal, g.RetiringPrincipal]), [[GrantId, carol.id, carol.id]])
  assert.deepEqual((await admin.listGrants({ KeyId: keyId, GranteePrincipal: carol.arn })).Grants, [])
  assert.deepEqual((await admin.listRetirableGrants({ RetiringPrincipal: carol.arn })).Grants, [])
  await trent('user', 'delete', '--name', 'carol')
})

test('a principal is its unique id, not its name: a re-created role\'s sessions get nothing the deleted role had', T, async () => {
  await trent('role', 'create', '--name', 'Worker')
  const roleArn = `arn:aws:iam::${E2E_ACCOUNT_ID}:role/Worker`
  const roleId = String(((await trent('role', 'list')).Roles as { RoleName: string; RoleId: string }[]).find((r) => r.RoleName === 'Worker')!.RoleId)
  const { keyId, keyArn } = await newKey(policy(allowUse(roleArn)))
  await admin.createGrant({ KeyId: keyId, GranteePrincipal: roleArn, Operations: ['Decrypt'] })
  const first = await makeRoleSession('Worker', 'job')
  const sealed = await first.kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('worker data') })
  await trent('role', 'delete', '--name', 'Worker')
  // The deleted role's sessions stop working at once.
  await assertSdkError(first.kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob }), 'UnrecognizedClientException', 'The security token included in the request is invalid.')
  await trent('role', 'create', '--name', 'Worker')
  const second = await makeRoleSession('Worker', 'job')
  assert.equal(second.arn, first.arn)
  await assertSdkError(second.kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob }), 'AccessDeniedException', denied(second.arn, 'kms:Decrypt', keyArn))
  assert.deepEqual(await principalsInPolicy(keyId), [ROOT, roleId])
  assert.deepEqual((await admin.listGrants({ KeyId: keyId })).Grants?.map((g) => g.GranteePrincipal), [roleId])
})
