// The migration that binds stored principals to their unique ids: a database written before it (schema
// version 3) keeps working for the principals that exist when it is opened, and nobody else.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { createPolicyAuthorizer } from '../../auth/policy-authorizer.js'
import type { Principal } from '../../auth/principal.js'
import { PolicyCache } from '../../policy/policy-cache.js'
import { migrations } from './migrations.js'
import { openSqliteStore } from './sqlite-store.js'

const ACCT = '111122223333'
const CAROL = { arn: `arn:aws:iam::${ACCT}:user/carol`, id: 'AIDACAROLCAROLCAROLCA' }
const DAVE_ARN = `arn:aws:iam::${ACCT}:user/dave`
const APP = { arn: `arn:aws:iam::${ACCT}:role/App`, id: 'AROAAPPAPPAPPAPPAPPAP' }
const SESSION_ARN = `arn:aws:sts::${ACCT}:assumed-role/App/night`
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab'
/** The shipped schema before the binding migration. */
const PREVIOUS_VERSION = 3

const dir = mkdtempSync(join(tmpdir(), 'trent-binding-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const keyPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'People', Effect: 'Allow', Principal: { AWS: [CAROL.arn, DAVE_ARN, SESSION_ARN] }, Action: 'kms:Decrypt', Resource: '*' },
    { Sid: 'App', Effect: 'Allow', Principal: { AWS: APP.arn }, Action: 'kms:Encrypt', Resource: '*' },
  ],
})

/** A database as the previous version left it: carol and role App exist, dave was deleted long ago. */
function writePreviousVersionDatabase(path: string): void {
  const db = new Database(path)
  for (const step of migrations.slice(0, PREVIOUS_VERSION)) db.exec(step)
  db.pragma(`user_version = ${PREVIOUS_VERSION}`)
  const run = (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params)
  run('INSERT INTO accounts VALUES (?, 0)', ACCT)
  run("INSERT INTO iam_users VALUES (?, 'carol', '/', ?, ?, 0)", ACCT, CAROL.id, CAROL.arn)
  run("INSERT INTO iam_roles VALUES (?, 'App', '/', ?, ?, 0)", ACCT, APP.id, APP.arn)
  run(`INSERT INTO keys VALUES (?, ?, 'us-east-1', 0, '', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'AWS_KMS', 'Enabled', NULL, NULL, ?, 1, 0)`, KEY_ID, ACCT, keyPolicy)
  const grant = `INSERT INTO grants VALUES (?, ?, ?, NULL, 'f', ?, ?, '["Decrypt"]', NULL, 0)`
  run(grant, 'a'.repeat(64), KEY_ID, ACCT, CAROL.arn, APP.arn)
  run(grant, 'b'.repeat(64), KEY_ID, ACCT, DAVE_ARN, SESSION_ARN)
  run(grant, 'c'.repeat(64), KEY_ID, ACCT, `arn:aws:iam::${ACCT}:root`, null)
  run("INSERT INTO access_keys VALUES ('AKIACAROL', ?, ?, x'01', 'Active', 0)", ACCT, CAROL.arn)
  run("INSERT INTO access_keys VALUES ('AKIAROOT', ?, ?, x'01', 'Active', 0)", ACCT, `arn:aws:iam::${ACCT}:root`)
  run("INSERT INTO role_sessions VALUES ('ASIAAPP', ?, ?, 'night', x'01', 'ab', 0, 1)", ACCT, APP.arn)
  db.close()
}

const carol: Principal = { accountId: ACCT, arn: CAROL.arn, type: 'IAMUser', principalId: CAROL.id, accessKeyId: 'AKIACAROL', userName: 'carol' }

describe('migration: principals bound to their unique ids', () => {
  it('binds stored policies, grants, access keys and sessions to the principals that exist, and a gone one to nothing', async () => {
    const path = join(dir, 'binding.db')
    writePreviousVersionDatabase(path)
    const store = await openSqliteStore(path)
    try {
      const key = (await store.getKey(KEY_ID))!
      assert.equal(key.policy, keyPolicy, 'the policy text is kept as the caller gave it')
      assert.deepEqual(key.policyBindings, { [CAROL.arn]: CAROL.id, [APP.arn]: APP.id, [SESSION_ARN]: APP.id })
      const [toCarol, toDave, toRoot] = [await store.getGrant('a'.repeat(64)), await store.getGrant('b'.repeat(64)), await store.getGrant('c'.repeat(64))]
      assert.deepEqual([toCarol?.granteeUniqueId, toCarol?.retiringUniqueId], [CAROL.id, APP.id])
      assert.deepEqual([toDave?.granteeUniqueId, toDave?.retiringUniqueId], [undefined, APP.id])
      assert.deepEqual([toRoot?.granteeUniqueId, toRoot?.retiringUniqueId], [undefined, undefined])
      assert.equal((await store.getAccessKey('AKIACAROL'))?.principalId, CAROL.id)
      assert.equal((await store.getAccessKey('AKIAROOT'))?.principalId, undefined)
      assert.equal((await store.getRoleSession('ASIAAPP'))?.roleId, APP.id)
    } finally {
      await store.close()
    }
  })

  it('an old database with a stored policy naming an existing user keeps working after migrating', async () => {
    const path = join(dir, 'keeps-working.db')
    writePreviousVersionDatabase(path)
    const store = await openSqliteStore(path)
    try {
      const key = (await store.getKey(KEY_ID))!
      const authorizer = createPolicyAuthorizer(store, new PolicyCache())
      await authorizer.authorize(carol, key, 'kms:Decrypt', {})
      // A new carol (another unique id) is not the carol the policy named.
      await assert.rejects(authorizer.authorize({ ...carol, principalId: 'AIDANEWCAROLNEWCAROLN' }, key, 'kms:Decrypt', {}), { name: 'AccessDeniedException' })
    } finally {
      await store.close()
    }
  })
})
