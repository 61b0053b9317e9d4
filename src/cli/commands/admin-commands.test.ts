// The administration verbs against a real data directory: accounts, users, roles, access keys (secret
// shown once, two at most), identity policies, principal tags, role sessions and `policy simulate`.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import type { CliIo } from '../admin-args.js'
import { accessKeyCommand } from './access-key.js'
import { accountCommand } from './account.js'
import { identityPolicyCommand } from './identity-policy.js'
import { policyCommand } from './policy.js'
import { principalTagCommand } from './principal-tag.js'
import { roleCommand } from './role.js'
import { roleSessionCommand } from './role-session.js'
import { userCommand } from './user.js'

const ACCOUNT = '111122223333'
const ROOT_KEY = Buffer.alloc(32, 9).toString('base64')

function sink(): Writable & { text: string } {
  const stream = new Writable({ write(chunk, _enc, done) { stream.text += String(chunk); done() } }) as Writable & { text: string }
  stream.text = ''
  return stream
}

describe('trent administration verbs', () => {
  let dataDir: string
  before(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'trent-cli-')), 'data')
  })
  after(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }))

  async function run(command: { runWith(args: string[], io: CliIo): Promise<number> }, args: string[]) {
    const io = { out: sink(), err: sink(), env: { TRENT_ROOT_KEY: ROOT_KEY } }
    const code = await command.runWith([...args.slice(0, 1), '--data-dir', dataDir, ...args.slice(1)], io)
    return { code, out: io.out.text, err: io.err.text, json: () => JSON.parse(io.out.text) as Record<string, unknown> }
  }

  it('creates and lists accounts, refusing a duplicate', async () => {
    const created = await run(accountCommand, ['create', '--account-id', ACCOUNT])
    assert.deepEqual([created.code, created.json()], [0, { AccountId: ACCOUNT, RootArn: `arn:aws:iam::${ACCOUNT}:root` }])
    const again = await run(accountCommand, ['create', '--account-id', ACCOUNT])
    assert.deepEqual([again.code, again.err], [1, `trent account create: account ${ACCOUNT} already exists\n`])
    const listed = (await run(accountCommand, ['list'])).json().Accounts as { AccountId: string; CreatedAt: string }[]
    assert.deepEqual(listed.map((a) => a.AccountId), [ACCOUNT])
    assert.ok(!Number.isNaN(Date.parse(listed[0]!.CreatedAt)))
  })

  it('creates users with a path and tags, and refuses bad names with a usage-free message', async () => {
    const created = await run(userCommand, ['create', '--account', ACCOUNT, '--name', 'alice', '--path', '/ops/', '--tag', 'team=blue'])
    assert.equal(created.code, 0, created.err)
    assert.equal(created.json().Arn, `arn:aws:iam::${ACCOUNT}:user/ops/alice`)
    assert.match(String(created.json().UserId), /^AIDA[A-Z2-7]{17}$/)
    assert.deepEqual((await run(principalTagCommand, ['list', '--account', ACCOUNT, '--user', 'alice'])).json(), { Tags: [{ Key: 'team', Value: 'blue' }] })
    const bad = await run(userCommand, ['create', '--account', ACCOUNT, '--name', 'no spaces'])
    assert.deepEqual([bad.code, bad.err], [1, 'trent user create: invalid user name: must be 1-64 characters of letters, digits and +=,.@_-\n'])
  })

  it('keeps a tag named __proto__ as an ordinary tag', async () => {
    assert.equal((await run(principalTagCommand, ['set', '--account', ACCOUNT, '--user', 'alice', '__proto__=x'])).code, 0)
    const tags = (await run(principalTagCommand, ['list', '--account', ACCOUNT, '--user', 'alice'])).json().Tags as { Key: string }[]
    assert.deepEqual(tags.map((t) => t.Key).sort(), ['__proto__', 'team'])
    assert.equal((await run(principalTagCommand, ['remove', '--account', ACCOUNT, '--user', 'alice', '__proto__'])).code, 0)
  })

  it('prints an access key secret once and allows two keys per user', async () => {
    const first = await run(accessKeyCommand, ['create', '--account', ACCOUNT, '--user', 'alice'])
    assert.equal(first.code, 0, first.err)
    assert.match(String(first.json().AccessKeyId), /^AKIA[A-Z2-7]{16}$/)
    assert.equal(String(first.json().SecretAccessKey).length, 40)
    assert.equal((await run(accessKeyCommand, ['create', '--account', ACCOUNT, '--user', 'alice'])).code, 0)
    const third = await run(accessKeyCommand, ['create', '--account', ACCOUNT, '--user', 'alice'])
    assert.deepEqual([third.code, third.err], [1, `trent access-key create: arn:aws:iam::${ACCOUNT}:user/ops/alice already has 2 access keys; delete one first\n`])
    const id = String(first.json().AccessKeyId)
    assert.equal((await run(accessKeyCommand, ['deactivate', '--access-key-id', id])).code, 0)
    const listed = (await run(accessKeyCommand, ['list', '--account', ACCOUNT, '--user', 'alice'])).json().AccessKeys as { AccessKeyId: string; Status: string }[]
    assert.equal(listed.find((k) => k.AccessKeyId === id)?.Status, 'Inactive')
    assert.ok(!JSON.stringify(listed).includes(String(first.json().SecretAccessKey)))
    assert.equal((await run(accessKeyCommand, ['delete', '--access-key-id', id])).code, 0)
    assert.equal((await run(accessKeyCommand, ['delete', '--access-key-id', id])).code, 1)
  })

  it('attaches, replaces, shows and deletes identity policies, refusing malformed ones', async () => {
    const doc = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:ListKeys","Resource":"*"}}'
    assert.equal((await run(identityPolicyCommand, ['put', '--account', ACCOUNT, '--user', 'alice', '--name', 'list', '--document', doc])).code, 0)
    assert.equal((await run(identityPolicyCommand, ['get', '--account', ACCOUNT, '--user', 'alice', '--name', 'list'])).out, `${doc}\n`)
    const bad = await run(identityPolicyCommand, ['put', '--account', ACCOUNT, '--user', 'alice', '--name', 'bad', '--document', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}}'])
    assert.deepEqual([bad.code, bad.err], [1, 'trent identity-policy put: malformed policy: Statement 0: an identity policy cannot name a Principal.\n'])
    assert.deepEqual((await run(identityPolicyCommand, ['list', '--account', ACCOUNT, '--user', 'alice'])).json(), { PolicyNames: ['list'] })
  })

  it('simulates decisions offline with the reason, exiting 0 when allowed and 3 when denied', async () => {
    const allowed = await run(policyCommand, ['simulate', '--principal', `arn:aws:iam::${ACCOUNT}:user/ops/alice`, '--action', 'kms:ListKeys'])
    assert.deepEqual([allowed.code, allowed.json()], [0, { Decision: 'ALLOW', Reason: `ALLOW: Allow by identity policy "list" of arn:aws:iam::${ACCOUNT}:user/ops/alice statement 0` }])
    const denied = await run(policyCommand, ['simulate', '--principal', `arn:aws:iam::${ACCOUNT}:user/ops/alice`, '--action', 'kms:CreateKey'])
    assert.deepEqual([denied.code, denied.json()], [3, {
      Decision: 'DENY', Reason: 'DENY (no identity policy allows)',
      AccessDeniedMessage: `User: arn:aws:iam::${ACCOUNT}:user/ops/alice is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy allows the kms:CreateKey action`,
    }])
    const usage = await run(policyCommand, ['simulate', '--principal', `arn:aws:iam::${ACCOUNT}:root`, '--action', 'Decrypt'])
    assert.equal(usage.code, 2)
  })

  it('mints a role session with a token and an expiry', async () => {
    assert.equal((await run(roleCommand, ['create', '--account', ACCOUNT, '--name', 'App'])).code, 0)
    const minted = await run(roleSessionCommand, ['create', '--account', ACCOUNT, '--role', 'App', '--session-name', 'job', '--duration-seconds', '900'])
    assert.equal(minted.code, 0, minted.err)
    const { Credentials, AssumedRoleUser } = minted.json() as { Credentials: Record<string, string>; AssumedRoleUser: { Arn: string } }
    assert.match(Credentials.AccessKeyId!, /^ASIA/)
    assert.ok(Credentials.SessionToken!.length > 100)
    assert.ok(Date.parse(Credentials.Expiration!) > Date.now() + 800_000)
    assert.equal(AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/App/job`)
    assert.equal((await run(roleSessionCommand, ['create', '--account', ACCOUNT, '--role', 'App', '--session-name', 'job', '--duration-seconds', '60'])).code, 1)
  })

  it('deletes an empty account once and reports a second delete', async () => {
    assert.equal((await run(accountCommand, ['create', '--account-id', '999988887777'])).code, 0)
    assert.equal((await run(accountCommand, ['delete', '--account-id', '999988887777'])).code, 0)
    assert.equal((await run(accountCommand, ['delete', '--account-id', '999988887777'])).code, 1)
  })
})
