// The example policies of the AWS KMS Developer Guide (default key policy, condition-key examples,
// cross-account use), transcribed as data and checked against requests that should and should not pass.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decide, type Denial, type NamedPolicy } from './decide.js'
import type { PolicyDocument } from './document.js'
import { ACCT, KEY_ARN, OTHER, bindingsOf, identityPolicy, keyPolicy, request, root, session, user } from './policy-fixtures.test-support.js'
import { renderVerdict } from './reason.js'
import type { CallerFacts, ContextValue } from './request.js'

interface Example {
  name: string
  keyPolicy?: PolicyDocument
  identity?: NamedPolicy[]
  caller: CallerFacts
  action: string
  context?: Record<string, ContextValue>
  resource?: string
  expect: 'allow' | Denial
}

const exampleUser = user('ExampleUser')
const role = (name: string) => session(name, 'session-1')
const principal = (arn: string) => ({ AWS: arn })
const ROOT = `arn:aws:iam::${ACCT}:root`
const enableIam = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: principal(ROOT), Action: 'kms:*', Resource: '*' }

// The console's default key policy with key administrators and key users (key-policy-default).
const consoleDefault = keyPolicy(enableIam,
  {
    Sid: 'Allow access for Key Administrators', Effect: 'Allow', Principal: principal(`arn:aws:iam::${ACCT}:role/KMSAdminRole`),
    Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*',
      'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'],
    Resource: '*',
  },
  { Sid: 'Allow use of the key', Effect: 'Allow', Principal: principal(`arn:aws:iam::${ACCT}:role/ExampleRole`), Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' },
  {
    Sid: 'Allow attachment of persistent resources', Effect: 'Allow', Principal: principal(`arn:aws:iam::${ACCT}:role/ExampleRole`),
    Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
  })

const defaultPolicyExamples: Example[] = [
  { name: 'key administrators may schedule deletion', keyPolicy: consoleDefault, caller: role('KMSAdminRole'), action: 'kms:ScheduleKeyDeletion', expect: 'allow' },
  { name: 'key administrators may replace the key policy (Put*)', keyPolicy: consoleDefault, caller: role('KMSAdminRole'), action: 'kms:PutKeyPolicy', expect: 'allow' },
  { name: 'key administrators may not decrypt without an identity policy', keyPolicy: consoleDefault, caller: role('KMSAdminRole'), action: 'kms:Decrypt', expect: 'no-identity' },
  { name: 'key users may encrypt', keyPolicy: consoleDefault, caller: role('ExampleRole'), action: 'kms:Encrypt', expect: 'allow' },
  { name: 'key users may generate data keys without plaintext (GenerateDataKey*)', keyPolicy: consoleDefault, caller: role('ExampleRole'), action: 'kms:GenerateDataKeyWithoutPlaintext', expect: 'allow' },
  { name: 'key users may not schedule deletion', keyPolicy: consoleDefault, caller: role('ExampleRole'), action: 'kms:ScheduleKeyDeletion', expect: 'no-identity' },
  { name: 'key users may not create grants themselves', keyPolicy: consoleDefault, caller: role('ExampleRole'), action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': 'false' }, expect: 'no-identity' },
  { name: 'key users may create grants through an AWS service', keyPolicy: consoleDefault, caller: role('ExampleRole'), action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': 'true' }, expect: 'allow' },
  { name: 'the account root keeps full access', keyPolicy: consoleDefault, caller: root(), action: 'kms:PutKeyPolicy', expect: 'allow' },
]

const conditionKeyExamples: Example[] = [
  {
    name: 'kms:BypassPolicyLockoutSafetyCheck: an identity Deny stops a bypassing CreateKey', caller: exampleUser, action: 'kms:CreateKey', resource: '*',
    identity: [identityPolicy('admin', exampleUser.arn, { Effect: 'Allow', Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', Action: ['kms:CreateKey', 'kms:PutKeyPolicy'], Resource: '*', Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': true } } })],
    context: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' }, expect: 'explicit-identity',
  },
  {
    name: 'kms:BypassPolicyLockoutSafetyCheck: the same Deny lets a normal CreateKey through', caller: exampleUser, action: 'kms:CreateKey', resource: '*',
    identity: [identityPolicy('admin', exampleUser.arn, { Effect: 'Allow', Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', Action: ['kms:CreateKey', 'kms:PutKeyPolicy'], Resource: '*', Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': true } } })],
    context: { 'kms:BypassPolicyLockoutSafetyCheck': 'false' }, expect: 'allow',
  },
  ...((): Example[] => {
    const ebs = keyPolicy({
      Sid: 'Allow access through EBS for all principals in the account that are authorized to use EBS', Effect: 'Allow', Principal: { AWS: '*' },
      Condition: { StringEquals: { 'kms:CallerAccount': ACCT, 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' } },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'], Resource: '*',
    })
    return [
      { name: 'kms:CallerAccount + kms:ViaService: a call via EBS from the account is allowed', keyPolicy: ebs, caller: user('bob'), action: 'kms:Decrypt', context: { 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' }, expect: 'allow' },
      { name: 'kms:CallerAccount + kms:ViaService: a direct call is refused', keyPolicy: ebs, caller: user('bob'), action: 'kms:Decrypt', expect: 'no-resource' },
    ]
  })(),
  ...((): Example[] => {
    const pairs = keyPolicy({ Effect: 'Allow', Principal: principal(exampleUser.arn), Action: ['kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext'], Resource: '*', Condition: { StringLike: { 'kms:DataKeyPairSpec': 'RSA*' } } })
    return [
      { name: 'kms:DataKeyPairSpec: RSA data key pairs are allowed', keyPolicy: pairs, caller: exampleUser, action: 'kms:GenerateDataKeyPair', context: { 'kms:DataKeyPairSpec': 'RSA_3072' }, expect: 'allow' },
      { name: 'kms:DataKeyPairSpec: ECC data key pairs are not', keyPolicy: pairs, caller: exampleUser, action: 'kms:GenerateDataKeyPair', context: { 'kms:DataKeyPairSpec': 'ECC_NIST_P384' }, expect: 'no-resource' },
    ]
  })(),
  ...((): Example[] => {
    const oneAlgorithm = keyPolicy(enableIam, { Effect: 'Allow', Principal: principal(`arn:aws:iam::${ACCT}:role/ExampleRole`), Action: 'kms:*', Resource: '*' },
      { Sid: 'Allow only one encryption algorithm with this asymmetric KMS key', Effect: 'Deny', Principal: principal(`arn:aws:iam::${ACCT}:role/ExampleRole`), Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*'], Resource: '*', Condition: { StringNotEquals: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' } } })
    return [
      { name: 'kms:EncryptionAlgorithm: the one allowed algorithm passes', keyPolicy: oneAlgorithm, caller: role('ExampleRole'), action: 'kms:Encrypt', context: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' }, expect: 'allow' },
      { name: 'kms:EncryptionAlgorithm: another algorithm is explicitly denied', keyPolicy: oneAlgorithm, caller: role('ExampleRole'), action: 'kms:Decrypt', context: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_1' }, expect: 'explicit-resource' },
    ]
  })(),
  {
    name: 'AllowOnlySymmetricAlgorithm: an identity Deny refuses an asymmetric algorithm', keyPolicy: keyPolicy(enableIam), caller: exampleUser, action: 'kms:Encrypt',
    identity: [identityPolicy('p', exampleUser.arn, { Effect: 'Allow', Action: 'kms:*', Resource: '*' }, { Sid: 'AllowOnlySymmetricAlgorithm', Effect: 'Deny', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'], Resource: 'arn:aws:kms:us-west-2:111122223333:key/*', Condition: { StringNotEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } } })],
    context: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_1' }, expect: 'explicit-identity',
  },
  {
    name: 'AllowOnlySymmetricAlgorithm: SYMMETRIC_DEFAULT passes', keyPolicy: keyPolicy(enableIam), caller: exampleUser, action: 'kms:GenerateDataKey',
    identity: [identityPolicy('p', exampleUser.arn, { Effect: 'Allow', Action: 'kms:*', Resource: '*' }, { Sid: 'AllowOnlySymmetricAlgorithm', Effect: 'Deny', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'], Resource: 'arn:aws:kms:us-west-2:111122223333:key/*', Condition: { StringNotEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } } })],
    context: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' }, expect: 'allow',
  },
]

const appRole = `arn:aws:iam::${ACCT}:role/RoleForExampleApp`
const app = role('RoleForExampleApp')
const ec = (pairs: Record<string, string>): Record<string, ContextValue> => {
  const out: Record<string, ContextValue> = { 'kms:EncryptionContextKeys': Object.keys(pairs) }
  for (const [k, v] of Object.entries(pairs)) out[`kms:EncryptionContext:${k}`] = v
  return out
}
const appNamePolicy = keyPolicy({ Effect: 'Allow', Principal: principal(appRole), Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:AppName': 'ExampleApp' } } })
const onlyAppName = keyPolicy({ Effect: 'Allow', Principal: principal(appRole), Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:AppName': 'ExampleApp' }, 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['AppName'] } } })
const denyRestricted = keyPolicy({ Effect: 'Allow', Principal: principal(appRole), Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', Principal: principal(appRole), Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:Stage': ['Restricted', 'Production'] } } })
const anyContext = keyPolicy({ Effect: 'Allow', Principal: principal(appRole), Action: ['kms:Encrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: { Null: { 'kms:EncryptionContextKeys': false } } })

const encryptionContextExamples: Example[] = [
  { name: 'kms:EncryptionContext: the required pair allows, other pairs permitted', keyPolicy: appNamePolicy, caller: app, action: 'kms:GenerateDataKey', context: ec({ AppName: 'ExampleApp', Project: 'Alpha' }), expect: 'allow' },
  { name: 'kms:EncryptionContext: a request without the pair is refused', keyPolicy: appNamePolicy, caller: app, action: 'kms:GenerateDataKey', context: ec({ Project: 'Alpha' }), expect: 'no-resource' },
  { name: 'kms:EncryptionContext: the context key name is case-insensitive', keyPolicy: appNamePolicy, caller: app, action: 'kms:GenerateDataKey', context: ec({ appname: 'ExampleApp' }), expect: 'allow' },
  { name: 'kms:EncryptionContext: the context value is case-sensitive', keyPolicy: appNamePolicy, caller: app, action: 'kms:GenerateDataKey', context: ec({ AppName: 'exampleapp' }), expect: 'no-resource' },
  { name: 'with ForAllValues on kms:EncryptionContextKeys only AppName is allowed', keyPolicy: onlyAppName, caller: app, action: 'kms:GenerateDataKey', context: ec({ AppName: 'ExampleApp' }), expect: 'allow' },
  { name: 'with ForAllValues on kms:EncryptionContextKeys an extra pair is refused', keyPolicy: onlyAppName, caller: app, action: 'kms:GenerateDataKey', context: ec({ AppName: 'ExampleApp', Project: 'Alpha' }), expect: 'no-resource' },
  { name: 'a Deny forbids Stage=Restricted', keyPolicy: denyRestricted, caller: app, action: 'kms:GenerateDataKey', context: ec({ Stage: 'Restricted' }), expect: 'explicit-resource' },
  { name: 'a Deny forbidding Restricted or Production lets Stage=Test through', keyPolicy: denyRestricted, caller: app, action: 'kms:GenerateDataKey', context: ec({ Stage: 'Test' }), expect: 'allow' },
  { name: 'Null on kms:EncryptionContextKeys requires some context', keyPolicy: anyContext, caller: app, action: 'kms:Encrypt', expect: 'no-resource' },
  { name: 'Null on kms:EncryptionContextKeys accepts any context', keyPolicy: anyContext, caller: app, action: 'kms:Encrypt', context: ec({ anything: 'x' }), expect: 'allow' },
]

const ex = principal(exampleUser.arn)
const grantExamples: Example[] = [
  { name: 'kms:GrantConstraintType: EncryptionContextEquals grants are allowed', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: ex, Action: 'kms:CreateGrant', Resource: '*', Condition: { StringEquals: { 'kms:GrantConstraintType': 'EncryptionContextEquals' } } }), caller: exampleUser, action: 'kms:CreateGrant', context: { 'kms:GrantConstraintType': 'EncryptionContextEquals' }, expect: 'allow' },
  { name: 'kms:GrantConstraintType: unconstrained grants are refused', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: ex, Action: 'kms:CreateGrant', Resource: '*', Condition: { StringEquals: { 'kms:GrantConstraintType': 'EncryptionContextEquals' } } }), caller: exampleUser, action: 'kms:CreateGrant', expect: 'no-resource' },
  { name: 'kms:GrantOperations: a grant for Encrypt only is allowed', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: ex, Action: 'kms:CreateGrant', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Encrypt', 'ReEncryptTo'] } } }), caller: exampleUser, action: 'kms:CreateGrant', context: { 'kms:GrantOperations': ['Encrypt'] }, expect: 'allow' },
  { name: 'kms:GrantOperations: a grant that adds Decrypt is refused', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: ex, Action: 'kms:CreateGrant', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Encrypt', 'ReEncryptTo'] } } }), caller: exampleUser, action: 'kms:CreateGrant', context: { 'kms:GrantOperations': ['Encrypt', 'Decrypt'] }, expect: 'no-resource' },
  { name: 'kms:GranteePrincipal: grants to LimitedAdminRole are allowed', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: ex, Action: 'kms:CreateGrant', Resource: '*', Condition: { StringEquals: { 'kms:GranteePrincipal': `arn:aws:iam::${ACCT}:role/LimitedAdminRole` } } }), caller: exampleUser, action: 'kms:CreateGrant', context: { 'kms:GranteePrincipal': `arn:aws:iam::${ACCT}:role/LimitedAdminRole` }, expect: 'allow' },
  { name: 'kms:GranteePrincipal: grants to anyone else are refused', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: ex, Action: 'kms:CreateGrant', Resource: '*', Condition: { StringEquals: { 'kms:GranteePrincipal': `arn:aws:iam::${ACCT}:role/LimitedAdminRole` } } }), caller: exampleUser, action: 'kms:CreateGrant', context: { 'kms:GranteePrincipal': `arn:aws:iam::${ACCT}:user/mallory` }, expect: 'no-resource' },
  { name: 'kms:RetiringPrincipal: one of the listed retiring principals is allowed', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: ex, Action: 'kms:CreateGrant', Resource: '*', Condition: { StringEquals: { 'kms:RetiringPrincipal': [`arn:aws:iam::${ACCT}:role/LimitedAdminRole`, `arn:aws:iam::${ACCT}:user/OpsAdmin`] } } }), caller: exampleUser, action: 'kms:CreateGrant', context: { 'kms:RetiringPrincipal': `arn:aws:iam::${ACCT}:user/OpsAdmin` }, expect: 'allow' },
]

const keyPropertyExamples: Example[] = [
  { name: 'kms:KeyOrigin: CreateKey of AWS_KMS material is allowed', identity: [identityPolicy('p', exampleUser.arn, { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition: { StringEquals: { 'kms:KeyOrigin': 'AWS_KMS' } } })], caller: exampleUser, action: 'kms:CreateKey', resource: '*', context: { 'kms:KeyOrigin': 'AWS_KMS' }, expect: 'allow' },
  { name: 'kms:KeySpec: only RSA keys may be created', identity: [identityPolicy('p', exampleUser.arn, { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition: { StringLike: { 'kms:KeySpec': 'RSA_*' } } })], caller: exampleUser, action: 'kms:CreateKey', resource: '*', context: { 'kms:KeySpec': 'SYMMETRIC_DEFAULT' }, expect: 'no-identity' },
  { name: 'kms:KeySpec: only symmetric keys may be used', keyPolicy: keyPolicy(enableIam), identity: [identityPolicy('p', exampleUser.arn, { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:DescribeKey'], Resource: 'arn:aws:kms:us-west-2:111122223333:key/*', Condition: { StringEquals: { 'kms:KeySpec': 'SYMMETRIC_DEFAULT' } } })], caller: exampleUser, action: 'kms:Decrypt', context: { 'kms:KeySpec': 'SYMMETRIC_DEFAULT' }, expect: 'allow' },
  { name: 'kms:KeyUsage: only signing keys may be described', keyPolicy: keyPolicy(enableIam), identity: [identityPolicy('p', exampleUser.arn, { Effect: 'Allow', Action: ['kms:CreateGrant', 'kms:DescribeKey', 'kms:GetPublicKey', 'kms:ScheduleKeyDeletion'], Resource: 'arn:aws:kms:us-west-2:111122223333:key/*', Condition: { StringEquals: { 'kms:KeyUsage': 'SIGN_VERIFY' } } })], caller: exampleUser, action: 'kms:DescribeKey', context: { 'kms:KeyUsage': 'ENCRYPT_DECRYPT' }, expect: 'no-identity' },
  { name: 'kms:MacAlgorithm: the second of two statements allows HMAC_SHA_512', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: principal(`arn:aws:iam::${ACCT}:role/testers`), Action: ['kms:GenerateMac', 'kms:VerifyMac'], Resource: '*', Condition: { StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_384' } } }, { Effect: 'Allow', Principal: principal(`arn:aws:iam::${ACCT}:role/testers`), Action: ['kms:GenerateMac', 'kms:VerifyMac'], Resource: '*', Condition: { StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_512' } } }), caller: role('testers'), action: 'kms:VerifyMac', context: { 'kms:MacAlgorithm': 'HMAC_SHA_512' }, expect: 'allow' },
  { name: 'kms:MessageType: signing a digest is refused', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: ex, Action: 'kms:Sign', Resource: '*', Condition: { StringEquals: { 'kms:MessageType': 'RAW' } } }), caller: exampleUser, action: 'kms:Sign', context: { 'kms:MessageType': 'DIGEST' }, expect: 'no-resource' },
  { name: 'kms:MultiRegion: only single-Region keys may be created', identity: [identityPolicy('p', exampleUser.arn, { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition: { Bool: { 'kms:MultiRegion': false } } })], caller: exampleUser, action: 'kms:CreateKey', resource: '*', context: { 'kms:MultiRegion': 'true' }, expect: 'no-identity' },
  { name: 'kms:ReEncryptOnSameKey: the ReEncryptTo half of a same-key ReEncrypt is allowed', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: ex, Action: 'kms:ReEncrypt*', Resource: '*', Condition: { Bool: { 'kms:ReEncryptOnSameKey': true } } }), caller: exampleUser, action: 'kms:ReEncryptTo', context: { 'kms:ReEncryptOnSameKey': 'true' }, expect: 'allow' },
  { name: 'kms:ReEncryptOnSameKey: re-encrypting to another key is refused', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: ex, Action: 'kms:ReEncrypt*', Resource: '*', Condition: { Bool: { 'kms:ReEncryptOnSameKey': true } } }), caller: exampleUser, action: 'kms:ReEncryptFrom', context: { 'kms:ReEncryptOnSameKey': 'false' }, expect: 'no-resource' },
  { name: 'kms:BypassPolicyLockoutSafetyCheck: Null allows a PutKeyPolicy without the parameter', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: ex, Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { Null: { 'kms:BypassPolicyLockoutSafetyCheck': true } } }), caller: exampleUser, action: 'kms:PutKeyPolicy', expect: 'allow' },
  { name: 'kms:BypassPolicyLockoutSafetyCheck: Null refuses a PutKeyPolicy that sends the parameter', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: ex, Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { Null: { 'kms:BypassPolicyLockoutSafetyCheck': true } } }), caller: exampleUser, action: 'kms:PutKeyPolicy', context: { 'kms:BypassPolicyLockoutSafetyCheck': 'false' }, expect: 'no-resource' },
  { name: 'kms:ReEncryptOnSameKey: re-encrypting under the same key is allowed', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: ex, Action: 'kms:ReEncrypt*', Resource: '*', Condition: { Bool: { 'kms:ReEncryptOnSameKey': true } } }), caller: exampleUser, action: 'kms:ReEncryptFrom', context: { 'kms:ReEncryptOnSameKey': 'true' }, expect: 'allow' },
  { name: 'kms:RequestAlias: naming the key by its alias is allowed', keyPolicy: keyPolicy({ Sid: 'Key policy using a request alias condition', Effect: 'Allow', Principal: principal(`arn:aws:iam::${ACCT}:role/developer`), Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:RequestAlias': 'alias/finance-key' } } }), caller: role('developer'), action: 'kms:GenerateDataKey', context: { 'kms:RequestAlias': 'alias/finance-key' }, expect: 'allow' },
  { name: 'kms:RequestAlias: naming the key by id is refused', keyPolicy: keyPolicy({ Sid: 'Key policy using a request alias condition', Effect: 'Allow', Principal: principal(`arn:aws:iam::${ACCT}:role/developer`), Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:RequestAlias': 'alias/finance-key' } } }), caller: role('developer'), action: 'kms:GenerateDataKey', expect: 'no-resource' },
  { name: 'kms:ResourceAliases: a key with the finance alias may be used', keyPolicy: keyPolicy(enableIam), identity: [identityPolicy('p', exampleUser.arn, { Sid: 'AliasBasedIAMPolicy', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: [`arn:aws:kms:*:${ACCT}:key/*`, `arn:aws:kms:*:${OTHER}:key/*`], Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/finance-key' } } })], caller: exampleUser, action: 'kms:GenerateDataKey', context: { 'kms:ResourceAliases': ['alias/other', 'alias/finance-key'] }, expect: 'allow' },
  { name: 'kms:ResourceAliases: a key without aliases is refused by ForAll+ForAny', keyPolicy: keyPolicy(enableIam), identity: [identityPolicy('p', exampleUser.arn, { Sid: 'AliasBasedIAMPolicy', Effect: 'Allow', Action: ['kms:EnableKey', 'kms:DisableKey'], Resource: `arn:aws:kms:*:${ACCT}:key/*`, Condition: { 'ForAllValues:StringLike': { 'kms:ResourceAliases': ['alias/*Test*'] }, 'ForAnyValue:StringLike': { 'kms:ResourceAliases': ['alias/*Test*'] } } })], caller: exampleUser, action: 'kms:DisableKey', context: { 'kms:ResourceAliases': [] }, expect: 'no-identity' },
  { name: 'kms:SigningAlgorithm: RSASSA_PSS algorithms are allowed', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: principal(`arn:aws:iam::${ACCT}:role/testers`), Action: 'kms:Sign', Resource: '*', Condition: { StringLike: { 'kms:SigningAlgorithm': 'RSASSA_PSS*' } } }), caller: role('testers'), action: 'kms:Sign', context: { 'kms:SigningAlgorithm': 'RSASSA_PSS_SHA_512' }, expect: 'allow' },
  { name: 'kms:ViaService: a Deny for requests via Lambda', keyPolicy: keyPolicy({ Effect: 'Allow', Principal: ex, Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', Principal: ex, Action: ['kms:Encrypt'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': ['lambda.us-west-2.amazonaws.com'] } } }), caller: exampleUser, action: 'kms:Encrypt', context: { 'kms:ViaService': 'lambda.us-west-2.amazonaws.com' }, expect: 'explicit-resource' },
]

// Allowing another account to use a key (key-policy-modifying-external-accounts): both sides must agree.
const externalKeyPolicy = keyPolicy(enableIam, {
  Sid: 'Allow an external account to use this KMS key', Effect: 'Allow', Principal: principal(`arn:aws:iam::${OTHER}:root`),
  Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*',
})
const externalUser = user('ExampleUser', OTHER)
const externalIam = identityPolicy('UseKeyInAccount111122223333', externalUser.arn, { Sid: 'AllowUseOfKeyInAccount111122223333', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: KEY_ARN })
const crossAccountExamples: Example[] = [
  { name: 'the external user may decrypt when both policies allow', keyPolicy: externalKeyPolicy, identity: [externalIam], caller: externalUser, action: 'kms:Decrypt', expect: 'allow' },
  { name: 'the external user may not decrypt without its IAM policy', keyPolicy: externalKeyPolicy, caller: externalUser, action: 'kms:Decrypt', expect: 'no-identity' },
  { name: 'the external user may not manage the key', keyPolicy: externalKeyPolicy, identity: [identityPolicy('all', externalUser.arn, { Effect: 'Allow', Action: 'kms:*', Resource: '*' })], caller: externalUser, action: 'kms:ScheduleKeyDeletion', expect: 'no-resource' },
]

// Limiting tag permissions (tag-permissions): tagging only with a Project tag key.
const manageProjectTags = identityPolicy('tags', exampleUser.arn, { Sid: 'IAMPolicyManageTags', Effect: 'Allow', Action: ['kms:TagResource', 'kms:UntagResource'], Resource: `arn:aws:kms:*:${ACCT}:key/*`, Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'Project' } } })
const tagExamples: Example[] = [
  { name: 'IAMPolicyManageTags: adding a Project tag is allowed', keyPolicy: keyPolicy(enableIam), identity: [manageProjectTags], caller: exampleUser, action: 'kms:TagResource', context: { 'aws:TagKeys': ['Project'], 'aws:RequestTag/Project': 'Alpha' }, expect: 'allow' },
  { name: 'IAMPolicyManageTags: adding a Project and an Owner tag is refused', keyPolicy: keyPolicy(enableIam), identity: [manageProjectTags], caller: exampleUser, action: 'kms:TagResource', context: { 'aws:TagKeys': ['Project', 'Owner'], 'aws:RequestTag/Project': 'Alpha', 'aws:RequestTag/Owner': 'me' }, expect: 'no-identity' },
  { name: 'IAMPolicyManageTags: removing only the Project tag is allowed', keyPolicy: keyPolicy(enableIam), identity: [manageProjectTags], caller: exampleUser, action: 'kms:UntagResource', context: { 'aws:TagKeys': ['Project'] }, expect: 'allow' },
  { name: 'IAMPolicyManageTags: removing an Owner tag is refused', keyPolicy: keyPolicy(enableIam), identity: [manageProjectTags], caller: exampleUser, action: 'kms:UntagResource', context: { 'aws:TagKeys': ['Owner'] }, expect: 'no-identity' },
]

// The IAM guide's NotPrincipal with Deny examples (reference_policies_elements_notprincipal), on a key.
const bob = user('Bob', OTHER)
const auditApp = session('cross-account-read-only-role', 'cross-account-audit-app', OTHER)
const allowOther = { Effect: 'Allow', Principal: principal(`arn:aws:iam::${OTHER}:root`), Action: 'kms:*', Resource: '*' }
const denyAllButBob = keyPolicy(enableIam, allowOther, { Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${OTHER}:user/Bob`, `arn:aws:iam::${OTHER}:root`] }, Action: 'kms:*', Resource: '*' })
const denyAllButAudit = keyPolicy(enableIam, allowOther, { Effect: 'Deny', NotPrincipal: { AWS: [auditApp.arn, auditApp.roleArn!, `arn:aws:iam::${OTHER}:root`] }, Action: 'kms:*', Resource: '*' })
const otherAll = (who: CallerFacts) => [identityPolicy('all', who.roleArn ?? who.arn, { Effect: 'Allow', Action: 'kms:*', Resource: '*' })]
const notPrincipalExamples: Example[] = [
  { name: 'Bob, listed with his account, is not denied', keyPolicy: denyAllButBob, identity: otherAll(bob), caller: bob, action: 'kms:Decrypt', expect: 'allow' },
  { name: 'another user of Bob\'s account is denied', keyPolicy: denyAllButBob, identity: otherAll(user('Eve', OTHER)), caller: user('Eve', OTHER), action: 'kms:Decrypt', expect: 'explicit-resource' },
  { name: 'the key account\'s own root is denied too', keyPolicy: denyAllButBob, caller: root(), action: 'kms:Decrypt', expect: 'explicit-resource' },
  { name: 'the audit session, listed with its role and account, is not denied', keyPolicy: denyAllButAudit, identity: otherAll(auditApp), caller: auditApp, action: 'kms:Decrypt', expect: 'allow' },
  { name: 'another session of the audit role is denied', keyPolicy: denyAllButAudit, identity: otherAll(auditApp), caller: session('cross-account-read-only-role', 'other-app', OTHER), action: 'kms:Decrypt', expect: 'explicit-resource' },
]

const groups: [string, Example[]][] = [
  ['the console default key policy', defaultPolicyExamples], ['condition-key examples', conditionKeyExamples],
  ['encryption-context examples', encryptionContextExamples], ['grant-condition examples', grantExamples],
  ['key-property and request examples', keyPropertyExamples], ['external-account examples', crossAccountExamples],
  ['tag-permission examples', tagExamples], ['IAM NotPrincipal examples', notPrincipalExamples],
]

for (const [group, examples] of groups) {
  describe(`AWS developer guide: ${group}`, () => {
    for (const e of examples) {
      it(e.name, () => {
        const verdict = decide({
          request: request({ caller: e.caller, action: e.action, resource: e.resource ?? KEY_ARN, context: e.context ?? {} }),
          identityPolicies: e.identity ?? [], grants: [],
          ...(e.keyPolicy ? { keyPolicy: e.keyPolicy, keyPolicyBindings: bindingsOf(e.keyPolicy), keyAccountId: ACCT } : {}),
        })
        assert.equal(verdict.allowed ? 'allow' : verdict.denial, e.expect, renderVerdict(verdict))
      })
    }
  })
}
