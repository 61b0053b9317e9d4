// Table-driven cases for the whole decision: Principal / NotPrincipal, Action / NotAction, Resource /
// NotResource, deny precedence, delegation to identity policies, the account root, cross-account use,
// grants with constraints, RetireGrant's own rules and account-level (identity-only) actions.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decide, type Denial, type NamedPolicy } from './decide.js'
import type { PolicyDocument } from './document.js'
import type { GrantRecord, GrantUse } from './grant.js'
import { ACCT, KEY_ARN, OTHER, OTHER_KEY_ARN, bindingsOf, boundGrant, defaultKeyPolicy, identityPolicy, keyPolicy, request, root, session, user, type RequestSpec } from './policy-fixtures.test-support.js'
import { renderVerdict } from './reason.js'
import type { ContextValue } from './request.js'

interface Case {
  name: string
  /** Omitted: an account-level action, decided by identity policy alone. */
  keyPolicy?: PolicyDocument
  keyAccount?: string
  identity?: NamedPolicy[]
  grants?: GrantRecord[]
  retiring?: GrantRecord
  req: RequestSpec
  encryptionContext?: Record<string, string>
  childGrant?: GrantUse['childGrant']
  expect: 'allow' | Denial
  reason?: RegExp
}

const alice = user('alice')
const bob = user('bob')
const carol = user('carol', OTHER)
const aliceArn = alice.arn
const allowAll = (who: object | string) => ({ Effect: 'Allow', Principal: who, Action: 'kms:*', Resource: '*' })
const ROOT_ARN = `arn:aws:iam::${ACCT}:root`
const ADMIN_ROLE = `arn:aws:iam::${ACCT}:role/Admin`
const ADMIN_S1 = `arn:aws:sts::${ACCT}:assumed-role/Admin/s1`
/** The IAM guide's NotPrincipal pattern: everyone may do anything except Decrypt, unless listed. */
const denyAllBut = (...listed: string[]) => keyPolicy(allowAll('*'), { Effect: 'Deny', NotPrincipal: { AWS: listed }, Action: 'kms:Decrypt', Resource: '*' })
const idAllow = (owner: string, action: string | string[] = 'kms:*', resource: string | string[] = '*', extra: object = {}) =>
  identityPolicy('p', owner, { Sid: 'IdAllow', Effect: 'Allow', Action: action, Resource: resource, ...extra })
const idDeny = (owner: string, action: string) => identityPolicy('guard', owner, { Sid: 'IdDeny', Effect: 'Deny', Action: action, Resource: '*' })

function grant(overrides: Partial<GrantRecord> = {}): GrantRecord {
  return boundGrant({
    grantId: 'a'.repeat(64), keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', issuingAccount: ACCT, granteePrincipal: bob.arn,
    operations: ['Decrypt', 'Encrypt'], createdAt: new Date('2026-01-01T00:00:00Z'), fingerprint: 'f', ...overrides,
  })
}

const ctxOf = (entries: Record<string, ContextValue>) => ({ context: entries })

const principalCases: Case[] = [
  { name: 'the default key policy lets the account root do anything', keyPolicy: defaultKeyPolicy(), req: { caller: root() }, expect: 'allow', reason: /statement 0 "Enable IAM User Permissions" \(delegated.*identity: root of account 111122223333/ },
  { name: 'the default key policy alone does not let a user in', keyPolicy: defaultKeyPolicy(), req: { caller: alice }, expect: 'no-identity' },
  { name: 'the default key policy plus an identity policy lets a user in', keyPolicy: defaultKeyPolicy(), identity: [idAllow(aliceArn, 'kms:Encrypt')], req: { caller: alice }, expect: 'allow', reason: /identity policy "p" of arn:aws:iam::111122223333:user\/alice statement 0 "IdAllow"/ },
  { name: 'an identity policy for another action does not help', keyPolicy: defaultKeyPolicy(), identity: [idAllow(aliceArn, 'kms:Decrypt')], req: { caller: alice }, expect: 'no-identity' },
  { name: 'an identity policy without delegation does not help', keyPolicy: keyPolicy(allowAll({ AWS: bob.arn })), identity: [idAllow(aliceArn)], req: { caller: alice }, expect: 'no-resource' },
  { name: 'a key policy naming the user allows without an identity policy', keyPolicy: keyPolicy(allowAll({ AWS: aliceArn })), req: { caller: alice }, expect: 'allow', reason: /^ALLOW: Allow by key policy statement 0$/ },
  { name: 'a key policy naming another user does not allow', keyPolicy: keyPolicy(allowAll({ AWS: bob.arn })), req: { caller: alice }, expect: 'no-resource' },
  { name: 'a 12-digit account id is the account root', keyPolicy: keyPolicy(allowAll({ AWS: ACCT })), req: { caller: root() }, expect: 'allow' },
  { name: 'a 12-digit account id delegates to identity policies', keyPolicy: keyPolicy(allowAll({ AWS: ACCT })), identity: [idAllow(aliceArn)], req: { caller: alice }, expect: 'allow' },
  { name: '"*" as the principal allows everyone in the account', keyPolicy: keyPolicy(allowAll('*')), req: { caller: alice }, expect: 'allow' },
  { name: '{"AWS": "*"} allows everyone in the account', keyPolicy: keyPolicy(allowAll({ AWS: '*' })), req: { caller: bob }, expect: 'allow' },
  { name: 'a role ARN matches the role\'s sessions', keyPolicy: keyPolicy(allowAll({ AWS: `arn:aws:iam::${ACCT}:role/Admin` })), req: { caller: session('Admin', 's1') }, expect: 'allow' },
  { name: 'a role ARN does not match another role\'s sessions', keyPolicy: keyPolicy(allowAll({ AWS: `arn:aws:iam::${ACCT}:role/Admin` })), req: { caller: session('Dev', 's1') }, expect: 'no-resource' },
  { name: 'a session ARN matches only that session', keyPolicy: keyPolicy(allowAll({ AWS: `arn:aws:sts::${ACCT}:assumed-role/Admin/s1` })), req: { caller: session('Admin', 's2') }, expect: 'no-resource' },
  { name: 'a list of principals is an OR', keyPolicy: keyPolicy(allowAll({ AWS: [bob.arn, aliceArn] })), req: { caller: alice }, expect: 'allow' },
  { name: 'service principals never match a Trent caller', keyPolicy: keyPolicy(allowAll({ Service: 'ec2.amazonaws.com' })), req: { caller: alice }, expect: 'no-resource' },
  { name: 'NotPrincipal with Allow applies to everyone not listed', keyPolicy: keyPolicy({ Effect: 'Allow', NotPrincipal: { AWS: bob.arn }, Action: 'kms:*', Resource: '*' }), req: { caller: alice }, expect: 'allow' },
  { name: 'NotPrincipal with Allow excludes the listed principal', keyPolicy: keyPolicy({ Effect: 'Allow', NotPrincipal: { AWS: aliceArn }, Action: 'kms:*', Resource: '*' }), req: { caller: alice }, expect: 'no-resource' },
  { name: 'NotPrincipal with Deny denies everyone not listed', keyPolicy: keyPolicy(allowAll('*'), { Effect: 'Deny', NotPrincipal: { AWS: bob.arn }, Action: 'kms:Decrypt', Resource: '*' }), req: { caller: alice, action: 'kms:Decrypt' }, expect: 'explicit-resource' },
  { name: 'NotPrincipal with Deny spares the listed principal', keyPolicy: keyPolicy(allowAll('*'), { Effect: 'Deny', NotPrincipal: { AWS: [aliceArn, ACCT] }, Action: 'kms:Decrypt', Resource: '*' }), req: { caller: alice, action: 'kms:Decrypt' }, expect: 'allow' },
  { name: 'NotPrincipal with Deny listing only the account root spares the root', keyPolicy: denyAllBut(ROOT_ARN), req: { caller: root(), action: 'kms:Decrypt' }, expect: 'allow' },
  { name: 'NotPrincipal with Deny listing only the account root still denies the account\'s users', keyPolicy: denyAllBut(ROOT_ARN), req: { caller: alice, action: 'kms:Decrypt' }, expect: 'explicit-resource' },
  { name: 'NotPrincipal with Deny listing only the account root still denies the account\'s role sessions', keyPolicy: denyAllBut(ACCT), req: { caller: session('Admin', 's1'), action: 'kms:Decrypt' }, expect: 'explicit-resource' },
  { name: 'NotPrincipal with Deny listing a user without its account denies the user', keyPolicy: denyAllBut(aliceArn), req: { caller: alice, action: 'kms:Decrypt' }, expect: 'explicit-resource' },
  { name: 'NotPrincipal with Deny spares a user listed by unique id with its account', keyPolicy: denyAllBut(alice.uniqueId!, ROOT_ARN), req: { caller: alice, action: 'kms:Decrypt' }, expect: 'allow' },
  { name: 'NotPrincipal with Deny listing a user and its account denies another user', keyPolicy: denyAllBut(aliceArn, ROOT_ARN), req: { caller: bob, action: 'kms:Decrypt' }, expect: 'explicit-resource' },
  { name: 'NotPrincipal with Deny spares a session listed with its role and account', keyPolicy: denyAllBut(ADMIN_S1, ADMIN_ROLE, ROOT_ARN), req: { caller: session('Admin', 's1'), action: 'kms:Decrypt' }, expect: 'allow' },
  { name: 'NotPrincipal with Deny listing a role and account but not the session denies the session', keyPolicy: denyAllBut(ADMIN_ROLE, ROOT_ARN), req: { caller: session('Admin', 's1'), action: 'kms:Decrypt' }, expect: 'explicit-resource' },
  { name: 'NotPrincipal with Deny listing a session and account but not the role denies the session', keyPolicy: denyAllBut(ADMIN_S1, ROOT_ARN), req: { caller: session('Admin', 's1'), action: 'kms:Decrypt' }, expect: 'explicit-resource' },
  { name: 'NotPrincipal with Deny listing one session denies another session of the role', keyPolicy: denyAllBut(ADMIN_S1, ADMIN_ROLE, ROOT_ARN), req: { caller: session('Admin', 's2'), action: 'kms:Decrypt' }, expect: 'explicit-resource' },
  { name: 'NotPrincipal with Deny listing another account\'s user with that account spares the user', keyPolicy: denyAllBut(carol.arn, `arn:aws:iam::${OTHER}:root`), identity: [idAllow(carol.arn)], req: { caller: carol, action: 'kms:Decrypt' }, expect: 'allow' },
  { name: 'NotPrincipal with Deny listing the user and another account denies the user', keyPolicy: denyAllBut(aliceArn, `arn:aws:iam::${OTHER}:root`), req: { caller: alice, action: 'kms:Decrypt' }, expect: 'explicit-resource' },
  { name: 'NotPrincipal "*" with Deny spares everyone', keyPolicy: keyPolicy(allowAll('*'), { Effect: 'Deny', NotPrincipal: '*', Action: 'kms:Decrypt', Resource: '*' }), req: { caller: alice, action: 'kms:Decrypt' }, expect: 'allow' },
]

const actionResourceCases: Case[] = [
  { name: 'kms:* matches any KMS action', keyPolicy: keyPolicy(allowAll({ AWS: aliceArn })), req: { caller: alice, action: 'kms:ScheduleKeyDeletion' }, expect: 'allow' },
  { name: 'a prefix wildcard matches', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: { AWS: aliceArn }, Action: 'kms:Describe*', Resource: '*' }), req: { caller: alice, action: 'kms:DescribeKey' }, expect: 'allow' },
  { name: 'a prefix wildcard does not match other actions', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: { AWS: aliceArn }, Action: 'kms:Describe*', Resource: '*' }), req: { caller: alice, action: 'kms:Decrypt' }, expect: 'no-resource' },
  { name: 'action names are case-insensitive', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: { AWS: aliceArn }, Action: 'KMS:encrypt', Resource: '*' }), req: { caller: alice, action: 'kms:Encrypt' }, expect: 'allow' },
  { name: 'a list of actions is an OR', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: { AWS: aliceArn }, Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*' }), req: { caller: alice, action: 'kms:Encrypt' }, expect: 'allow' },
  { name: 'kms:ReEncrypt* covers ReEncryptFrom', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: { AWS: aliceArn }, Action: 'kms:ReEncrypt*', Resource: '*' }), req: { caller: alice, action: 'kms:ReEncryptFrom' }, expect: 'allow' },
  { name: 'an action of another service does not match', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: { AWS: aliceArn }, Action: 's3:*', Resource: '*' }), req: { caller: alice }, expect: 'no-resource' },
  { name: 'NotAction allows every action but the listed ones', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: { AWS: aliceArn }, NotAction: 'kms:ScheduleKeyDeletion', Resource: '*' }), req: { caller: alice, action: 'kms:Encrypt' }, expect: 'allow' },
  { name: 'NotAction excludes the listed action', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: { AWS: aliceArn }, NotAction: 'kms:ScheduleKeyDeletion', Resource: '*' }), req: { caller: alice, action: 'kms:ScheduleKeyDeletion' }, expect: 'no-resource' },
  { name: 'Deny with NotAction denies all but the listed actions', keyPolicy: keyPolicy(allowAll({ AWS: aliceArn }), { Effect: 'Deny', Principal: { AWS: aliceArn }, NotAction: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' }), req: { caller: alice, action: 'kms:DisableKey' }, expect: 'explicit-resource' },
  { name: 'Deny with NotAction spares the listed actions', keyPolicy: keyPolicy(allowAll({ AWS: aliceArn }), { Effect: 'Deny', Principal: { AWS: aliceArn }, NotAction: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' }), req: { caller: alice, action: 'kms:Encrypt' }, expect: 'allow' },
  { name: 'a statement without Action is inert', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: { AWS: aliceArn }, Resource: '*' }), req: { caller: alice }, expect: 'no-resource' },
  { name: 'an identity Resource pattern matches the key ARN', keyPolicy: defaultKeyPolicy(), identity: [idAllow(aliceArn, 'kms:Encrypt', `arn:aws:kms:us-west-2:${ACCT}:key/*`)], req: { caller: alice }, expect: 'allow' },
  { name: 'an identity Resource for another region does not match', keyPolicy: defaultKeyPolicy(), identity: [idAllow(aliceArn, 'kms:Encrypt', `arn:aws:kms:eu-west-1:${ACCT}:key/*`)], req: { caller: alice }, expect: 'no-identity' },
  { name: 'Resource matching is case-sensitive', keyPolicy: defaultKeyPolicy(), identity: [idAllow(aliceArn, 'kms:Encrypt', KEY_ARN.toUpperCase())], req: { caller: alice }, expect: 'no-identity' },
  { name: 'NotResource matches keys other than the listed one', keyPolicy: defaultKeyPolicy(), identity: [identityPolicy('p', aliceArn, { Effect: 'Allow', Action: 'kms:Encrypt', NotResource: OTHER_KEY_ARN })], req: { caller: alice }, expect: 'allow' },
  { name: 'NotResource excludes the listed key', keyPolicy: defaultKeyPolicy(), identity: [identityPolicy('p', aliceArn, { Effect: 'Allow', Action: 'kms:Encrypt', NotResource: KEY_ARN })], req: { caller: alice }, expect: 'no-identity' },
  { name: 'Deny with NotResource protects every other key', keyPolicy: defaultKeyPolicy(), identity: [idAllow(aliceArn), identityPolicy('fence', aliceArn, { Effect: 'Deny', Action: 'kms:*', NotResource: OTHER_KEY_ARN })], req: { caller: alice }, expect: 'explicit-identity' },
  { name: 'a Resource with ${aws:username} is resolved per caller', keyPolicy: defaultKeyPolicy(), identity: [idAllow(aliceArn, 'kms:Encrypt', `arn:aws:kms:*:${ACCT}:key/\${aws:username}-*`)], req: { caller: alice, resource: `arn:aws:kms:us-west-2:${ACCT}:key/alice-1`, context: { 'aws:username': 'alice' } }, expect: 'allow' },
]

const denyCases: Case[] = [
  { name: 'an explicit Deny in the key policy beats an Allow', keyPolicy: keyPolicy(allowAll({ AWS: aliceArn }), { Sid: 'NoDecrypt', Effect: 'Deny', Principal: { AWS: aliceArn }, Action: 'kms:Decrypt', Resource: '*' }), req: { caller: alice, action: 'kms:Decrypt' }, expect: 'explicit-resource', reason: /^DENY \(explicit deny in the key policy\): Deny by key policy statement 1 "NoDecrypt"$/ },
  { name: 'a Deny listed before the Allow still wins', keyPolicy: keyPolicy({ Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }, allowAll({ AWS: aliceArn })), req: { caller: alice, action: 'kms:Decrypt' }, expect: 'explicit-resource' },
  { name: 'a Deny naming the account applies to its users', keyPolicy: keyPolicy(allowAll({ AWS: aliceArn }), { Effect: 'Deny', Principal: { AWS: ACCT }, Action: 'kms:Decrypt', Resource: '*' }), req: { caller: alice, action: 'kms:Decrypt' }, expect: 'explicit-resource' },
  { name: 'a Deny for another action does not apply', keyPolicy: keyPolicy(allowAll({ AWS: aliceArn }), { Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }), req: { caller: alice, action: 'kms:Encrypt' }, expect: 'allow' },
  { name: 'an identity-policy Deny beats a key-policy Allow', keyPolicy: keyPolicy(allowAll({ AWS: aliceArn })), identity: [idDeny(aliceArn, 'kms:Encrypt')], req: { caller: alice }, expect: 'explicit-identity', reason: /Deny by identity policy "guard"/ },
  { name: 'an identity-policy Deny works without delegation', keyPolicy: keyPolicy(allowAll('*')), identity: [idDeny(aliceArn, 'kms:*')], req: { caller: alice }, expect: 'explicit-identity' },
  { name: 'a Deny beats a grant', keyPolicy: keyPolicy({ Effect: 'Deny', Principal: { AWS: bob.arn }, Action: 'kms:Decrypt', Resource: '*' }), grants: [grant()], req: { caller: bob, action: 'kms:Decrypt' }, expect: 'explicit-resource' },
  { name: 'a conditional Deny applies only when its condition holds', keyPolicy: keyPolicy(allowAll({ AWS: aliceArn }), { Effect: 'Deny', Principal: { AWS: aliceArn }, Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }), req: { caller: alice, ...ctxOf({ 'aws:SecureTransport': 'true' }) }, expect: 'allow' },
  { name: 'a conditional Deny denies when its condition holds', keyPolicy: keyPolicy(allowAll({ AWS: aliceArn }), { Effect: 'Deny', Principal: { AWS: aliceArn }, Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }), req: { caller: alice, ...ctxOf({ 'aws:SecureTransport': 'false' }) }, expect: 'explicit-resource' },
  { name: 'a Deny applies to the account root too', keyPolicy: keyPolicy(allowAll({ AWS: ACCT }), { Effect: 'Deny', Principal: '*', Action: 'kms:ScheduleKeyDeletion', Resource: '*' }), req: { caller: root(), action: 'kms:ScheduleKeyDeletion' }, expect: 'explicit-resource' },
]

const crossAccountCases: Case[] = [
  { name: 'another account\'s root is refused by the default key policy', keyPolicy: defaultKeyPolicy(), req: { caller: root(OTHER), action: 'kms:Decrypt' }, expect: 'no-resource' },
  { name: 'another account\'s root is allowed when the key policy names that account', keyPolicy: keyPolicy(allowAll({ AWS: `arn:aws:iam::${OTHER}:root` })), req: { caller: root(OTHER), action: 'kms:Decrypt' }, expect: 'allow' },
  { name: 'a user of another account needs its identity policy too', keyPolicy: keyPolicy(allowAll({ AWS: `arn:aws:iam::${OTHER}:root` })), req: { caller: carol, action: 'kms:Decrypt' }, expect: 'no-identity' },
  { name: 'key policy and identity policy together allow a cross-account user', keyPolicy: keyPolicy(allowAll({ AWS: `arn:aws:iam::${OTHER}:root` })), identity: [idAllow(carol.arn, 'kms:Decrypt', KEY_ARN)], req: { caller: carol, action: 'kms:Decrypt' }, expect: 'allow', reason: /delegated.*identity policy "p" of arn:aws:iam::444455556666:user\/carol/ },
  { name: 'an identity policy alone does not open another account\'s key', keyPolicy: defaultKeyPolicy(), identity: [idAllow(carol.arn, 'kms:Decrypt', KEY_ARN)], req: { caller: carol, action: 'kms:Decrypt' }, expect: 'no-resource' },
  { name: 'even a key policy naming the external user needs the user\'s identity policy', keyPolicy: keyPolicy(allowAll({ AWS: carol.arn })), req: { caller: carol, action: 'kms:Decrypt' }, expect: 'no-identity' },
  { name: 'a key policy naming the external user plus its identity policy allows', keyPolicy: keyPolicy(allowAll({ AWS: carol.arn })), identity: [idAllow(carol.arn, 'kms:Decrypt')], req: { caller: carol, action: 'kms:Decrypt' }, expect: 'allow' },
  { name: '"*" in the key policy still needs the external identity policy', keyPolicy: keyPolicy(allowAll('*')), req: { caller: carol, action: 'kms:Decrypt' }, expect: 'no-identity' },
  { name: 'kms:CallerAccount restricts "*" to one account', keyPolicy: keyPolicy({ ...allowAll({ AWS: '*' }), Condition: { StringEquals: { 'kms:CallerAccount': ACCT } } }), identity: [idAllow(carol.arn)], req: { caller: carol, action: 'kms:Decrypt' }, expect: 'no-resource' },
]

const grantCases: Case[] = [
  { name: 'a grant allows its grantee its operations', keyPolicy: defaultKeyPolicy(), grants: [grant()], req: { caller: bob, action: 'kms:Decrypt' }, expect: 'allow', reason: /^ALLOW: Allow by grant a{64}$/ },
  { name: 'a grant does not allow other operations', keyPolicy: defaultKeyPolicy(), grants: [grant()], req: { caller: bob, action: 'kms:GenerateDataKey' }, expect: 'no-identity' },
  { name: 'a grant does not allow other principals', keyPolicy: defaultKeyPolicy(), grants: [grant()], req: { caller: alice, action: 'kms:Decrypt' }, expect: 'no-identity' },
  { name: 'a grant to a role covers its sessions', keyPolicy: defaultKeyPolicy(), grants: [grant({ granteePrincipal: `arn:aws:iam::${ACCT}:role/App` })], req: { caller: session('App', 'worker'), action: 'kms:Decrypt' }, expect: 'allow' },
  { name: 'EncryptionContextEquals holds for the exact context', keyPolicy: defaultKeyPolicy(), grants: [grant({ constraints: { encryptionContextEquals: { Department: 'IT' } } })], req: { caller: bob, action: 'kms:Decrypt' }, encryptionContext: { Department: 'IT' }, expect: 'allow' },
  { name: 'EncryptionContextEquals refuses an extra pair', keyPolicy: defaultKeyPolicy(), grants: [grant({ constraints: { encryptionContextEquals: { Department: 'IT' } } })], req: { caller: bob, action: 'kms:Decrypt' }, encryptionContext: { Department: 'IT', Project: 'A' }, expect: 'no-identity' },
  { name: 'EncryptionContextEquals refuses a missing context', keyPolicy: defaultKeyPolicy(), grants: [grant({ constraints: { encryptionContextEquals: { Department: 'IT' } } })], req: { caller: bob, action: 'kms:Decrypt' }, expect: 'no-identity' },
  { name: 'constraint keys are case-insensitive', keyPolicy: defaultKeyPolicy(), grants: [grant({ constraints: { encryptionContextEquals: { department: 'IT' } } })], req: { caller: bob, action: 'kms:Decrypt' }, encryptionContext: { DEPARTMENT: 'IT' }, expect: 'allow' },
  { name: 'constraint values are case-sensitive', keyPolicy: defaultKeyPolicy(), grants: [grant({ constraints: { encryptionContextEquals: { Department: 'IT' } } })], req: { caller: bob, action: 'kms:Decrypt' }, encryptionContext: { Department: 'it' }, expect: 'no-identity' },
  { name: 'EncryptionContextSubset allows extra pairs', keyPolicy: defaultKeyPolicy(), grants: [grant({ constraints: { encryptionContextSubset: { Department: 'IT' } } })], req: { caller: bob, action: 'kms:Encrypt' }, encryptionContext: { Department: 'IT', Project: 'A' }, expect: 'allow' },
  { name: 'EncryptionContextSubset needs every pair', keyPolicy: defaultKeyPolicy(), grants: [grant({ constraints: { encryptionContextSubset: { Department: 'IT', Project: 'A' } } })], req: { caller: bob, action: 'kms:Encrypt' }, encryptionContext: { Department: 'IT' }, expect: 'no-identity' },
  { name: 'a context with two keys that differ only in case satisfies no EncryptionContextEquals', keyPolicy: defaultKeyPolicy(), grants: [grant({ constraints: { encryptionContextEquals: { tenant: 'bob' } } })], req: { caller: bob, action: 'kms:Decrypt' }, encryptionContext: { TENANT: 'alice', tenant: 'bob' }, expect: 'no-identity' },
  { name: 'a context with two keys that differ only in case satisfies no EncryptionContextSubset', keyPolicy: defaultKeyPolicy(), grants: [grant({ constraints: { encryptionContextSubset: { tenant: 'bob' } } })], req: { caller: bob, action: 'kms:Encrypt' }, encryptionContext: { Tenant: 'alice', tenant: 'bob' }, expect: 'no-identity' },
  { name: 'an EncryptionContextEquals whose own keys differ only in case admits no context', keyPolicy: defaultKeyPolicy(), grants: [grant({ constraints: { encryptionContextEquals: { tenant: 'bob', TENANT: 'alice' } } })], req: { caller: bob, action: 'kms:Decrypt' }, encryptionContext: { tenant: 'bob', TENANT: 'alice' }, expect: 'no-identity' },
  { name: 'a grant cannot create a child whose constraint keys differ only in case', keyPolicy: defaultKeyPolicy(), grants: [grant({ operations: ['CreateGrant', 'Decrypt'], constraints: { encryptionContextSubset: { tenant: 'bob' } } })], req: { caller: bob, action: 'kms:CreateGrant' }, childGrant: { operations: ['Decrypt'], constraints: { encryptionContextSubset: { TENANT: 'alice', tenant: 'bob' } } }, expect: 'no-identity' },
  { name: 'constraints do not apply to DescribeKey', keyPolicy: defaultKeyPolicy(), grants: [grant({ operations: ['DescribeKey'], constraints: { encryptionContextEquals: { Department: 'IT' } } })], req: { caller: bob, action: 'kms:DescribeKey' }, expect: 'allow' },
  { name: 'a cross-account grant allows its grantee without an identity policy', keyPolicy: defaultKeyPolicy(), grants: [grant({ granteePrincipal: carol.arn })], req: { caller: carol, action: 'kms:Decrypt' }, expect: 'allow' },
  { name: 'a grant to an account root delegates to the account\'s identity policies', keyPolicy: defaultKeyPolicy(), grants: [grant({ granteePrincipal: `arn:aws:iam::${OTHER}:root` })], req: { caller: carol, action: 'kms:Decrypt' }, expect: 'no-identity' },
  { name: 'a grant to an account root plus an identity policy allows', keyPolicy: defaultKeyPolicy(), grants: [grant({ granteePrincipal: `arn:aws:iam::${OTHER}:root` })], identity: [idAllow(carol.arn, 'kms:Decrypt')], req: { caller: carol, action: 'kms:Decrypt' }, expect: 'allow' },
  { name: 'a grant allowing CreateGrant allows a narrower grant', keyPolicy: defaultKeyPolicy(), grants: [grant({ operations: ['CreateGrant', 'Decrypt', 'Encrypt'] })], req: { caller: bob, action: 'kms:CreateGrant' }, expect: 'allow' },
]

const retireCases: Case[] = [
  { name: 'the retiring principal may retire a grant', keyPolicy: keyPolicy(allowAll({ AWS: ACCT })), retiring: grant({ retiringPrincipal: aliceArn }), req: { caller: alice, action: 'kms:RetireGrant' }, expect: 'allow', reason: /caller is its retiring principal/ },
  { name: 'the grantee may retire a grant that includes RetireGrant', keyPolicy: keyPolicy(allowAll({ AWS: ACCT })), retiring: grant({ operations: ['Decrypt', 'RetireGrant'] }), req: { caller: bob, action: 'kms:RetireGrant' }, expect: 'allow', reason: /caller is its grantee/ },
  { name: 'the grantee may not retire a grant without RetireGrant', keyPolicy: keyPolicy(allowAll({ AWS: ACCT })), retiring: grant(), req: { caller: bob, action: 'kms:RetireGrant' }, expect: 'no-identity' },
  { name: 'the issuing account\'s root may retire any of its grants', keyPolicy: keyPolicy(allowAll({ AWS: ACCT })), retiring: grant(), req: { caller: root(), action: 'kms:RetireGrant' }, expect: 'allow', reason: /issuing account/ },
  { name: 'another account may not retire the grant', keyPolicy: keyPolicy(allowAll({ AWS: ACCT })), retiring: grant(), req: { caller: root(OTHER), action: 'kms:RetireGrant' }, expect: 'no-resource' },
]

const accountLevelCases: Case[] = [
  { name: 'the account root may create keys', req: { caller: root(), action: 'kms:CreateKey', resource: '*' }, expect: 'allow', reason: /^ALLOW: identity: root of account 111122223333$/ },
  { name: 'a user without an identity policy may not create keys', req: { caller: alice, action: 'kms:CreateKey', resource: '*' }, expect: 'no-identity' },
  { name: 'a user with kms:CreateKey may create keys', identity: [idAllow(aliceArn, 'kms:CreateKey')], req: { caller: alice, action: 'kms:CreateKey', resource: '*' }, expect: 'allow' },
  { name: 'kms:KeySpec conditions CreateKey on the requested spec', identity: [idAllow(aliceArn, 'kms:CreateKey', '*', { Condition: { StringLike: { 'kms:KeySpec': 'RSA_*' } } })], req: { caller: alice, action: 'kms:CreateKey', resource: '*', context: { 'kms:KeySpec': 'SYMMETRIC_DEFAULT' } }, expect: 'no-identity' },
  { name: 'an identity Resource naming keys does not match an account-level action', identity: [idAllow(aliceArn, 'kms:ListKeys', `arn:aws:kms:*:${ACCT}:key/*`)], req: { caller: alice, action: 'kms:ListKeys', resource: '*' }, expect: 'no-identity' },
  { name: 'an alias-side check matches an alias ARN resource', identity: [idAllow(aliceArn, 'kms:CreateAlias', `arn:aws:kms:us-west-2:${ACCT}:alias/app-*`)], req: { caller: alice, action: 'kms:CreateAlias', resource: `arn:aws:kms:us-west-2:${ACCT}:alias/app-1` }, expect: 'allow' },
  { name: 'a session acts with its role\'s identity policies', identity: [idAllow(`arn:aws:iam::${ACCT}:role/App`, 'kms:GenerateRandom')], req: { caller: session('App', 's'), action: 'kms:GenerateRandom', resource: '*' }, expect: 'allow' },
  { name: 'an identity Deny stops even an account-level Allow', identity: [idAllow(aliceArn), idDeny(aliceArn, 'kms:CreateKey')], req: { caller: alice, action: 'kms:CreateKey', resource: '*' }, expect: 'explicit-identity' },
]

// The lockout safety check asks exactly this: would the new key policy let the caller call PutKeyPolicy?
const lockoutCases: Case[] = [
  { name: 'the default policy keeps the root able to update the policy', keyPolicy: defaultKeyPolicy(), req: { caller: root(), action: 'kms:PutKeyPolicy', context: { 'kms:BypassPolicyLockoutSafetyCheck': 'false' } }, expect: 'allow' },
  { name: 'a policy naming only a role locks the root out', keyPolicy: keyPolicy(allowAll({ AWS: `arn:aws:iam::${ACCT}:role/Admin` })), req: { caller: root(), action: 'kms:PutKeyPolicy' }, expect: 'no-resource' },
  { name: 'a policy that lets the caller only use the key locks it out', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: { AWS: aliceArn }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' }), req: { caller: alice, action: 'kms:PutKeyPolicy' }, expect: 'no-resource' },
  { name: 'delegation keeps a user with an identity policy able', keyPolicy: defaultKeyPolicy(), identity: [idAllow(aliceArn, 'kms:PutKeyPolicy')], req: { caller: alice, action: 'kms:PutKeyPolicy' }, expect: 'allow' },
  { name: 'a Deny of PutKeyPolicy to everyone locks everyone out', keyPolicy: keyPolicy(allowAll('*'), { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' }), req: { caller: root(), action: 'kms:PutKeyPolicy' }, expect: 'explicit-resource' },
  { name: 'a Deny conditioned on the bypass flag does not lock out a normal update', keyPolicy: keyPolicy(allowAll({ AWS: ACCT }), { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } } }), req: { caller: root(), action: 'kms:PutKeyPolicy', context: { 'kms:BypassPolicyLockoutSafetyCheck': 'false' } }, expect: 'allow' },
]

function run(c: Case): void {
  const verdict = decide({
    request: request(c.req), identityPolicies: c.identity ?? [], grants: c.grants ?? [],
    grantUse: {
      action: c.req.action ?? 'kms:Encrypt', ...(c.encryptionContext ? { encryptionContext: c.encryptionContext } : {}), ...(c.childGrant ? { childGrant: c.childGrant } : {}),
    },
    ...(c.keyPolicy ? { keyPolicy: c.keyPolicy, keyPolicyBindings: bindingsOf(c.keyPolicy), keyAccountId: c.keyAccount ?? ACCT } : {}),
    ...(c.retiring ? { retiring: c.retiring } : {}),
  })
  assert.equal(verdict.allowed ? 'allow' : verdict.denial, c.expect, renderVerdict(verdict))
  if (c.reason) assert.match(renderVerdict(verdict), c.reason)
}

const groups: [string, Case[]][] = [
  ['Principal and NotPrincipal', principalCases], ['Action, NotAction, Resource and NotResource', actionResourceCases],
  ['deny precedence', denyCases], ['cross-account use', crossAccountCases], ['grants', grantCases],
  ['RetireGrant', retireCases], ['account-level actions', accountLevelCases], ['the lockout safety check', lockoutCases],
]

for (const [group, cases] of groups) {
  describe(`decide(): ${group}`, () => {
    for (const c of cases) it(c.name, () => run(c))
  })
}
