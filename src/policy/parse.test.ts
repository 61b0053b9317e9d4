// Table-driven cases for the policy grammar: what parses, what is refused, and why.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PolicyKind } from './document.js'
import { PolicyGrammarError, parsePolicy } from './parse.js'

const allowAll = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }
const doc = (...statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements })

type Refusal = [description: string, text: string, kind: PolicyKind, message: RegExp]

const refused: Refusal[] = [
  ['text that is not JSON', '{"Version": ', 'resource', /^The policy is not valid JSON\.$/],
  ['a JSON array', '[]', 'resource', /^The policy must be a JSON object\.$/],
  ['a document without Statement', '{"Version":"2012-10-17"}', 'resource', /must contain a Statement/],
  ['an unknown top-level element', JSON.stringify({ Version: '2012-10-17', Statement: [], Extra: 1 }), 'resource', /unknown element: Extra/],
  ['an unknown Version', JSON.stringify({ Version: '2020-01-01', Statement: [allowAll] }), 'resource', /invalid Version: 2020-01-01/],
  ['a statement that is not an object', doc('x'), 'resource', /^Statement 0 must be a JSON object\.$/],
  ['an unknown statement element', doc({ ...allowAll, Actions: 'kms:*' }), 'resource', /Statement 0 has an unknown element: Actions/],
  ['a missing Effect', doc({ Principal: '*', Action: 'kms:*', Resource: '*' }), 'resource', /Effect of Allow or Deny/],
  ['an Effect in the wrong case', doc({ ...allowAll, Effect: 'allow' }), 'resource', /Effect of Allow or Deny/],
  ['a key policy statement without a principal', doc({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }), 'resource', /must name a Principal/],
  ['both Principal and NotPrincipal', doc({ ...allowAll, NotPrincipal: '*' }), 'resource', /both Principal and NotPrincipal/],
  ['an identity policy that names a principal', doc(allowAll), 'identity', /identity policy cannot name a Principal/],
  ['a principal that is not an ARN or account', doc({ ...allowAll, Principal: { AWS: 'alice' } }), 'resource', /^Policy contains a statement with one or more invalid principals\.$/],
  ['a principal ARN with a wildcard', doc({ ...allowAll, Principal: { AWS: 'arn:aws:iam::111122223333:user/*' } }), 'resource', /invalid principals/],
  ['an account id of the wrong length', doc({ ...allowAll, Principal: { AWS: '12345' } }), 'resource', /invalid principals/],
  ['an unknown principal type', doc({ ...allowAll, Principal: { Aws: '*' } }), 'resource', /invalid principals/],
  ['a principal string other than "*"', doc({ ...allowAll, Principal: 'arn:aws:iam::111122223333:root' }), 'resource', /invalid principals/],
  ['an empty principal list', doc({ ...allowAll, Principal: { AWS: [] } }), 'resource', /invalid principals/],
  ['both Action and NotAction', doc({ ...allowAll, NotAction: 'kms:Decrypt' }), 'resource', /both Action and NotAction/],
  ['both Resource and NotResource', doc({ ...allowAll, NotResource: '*' }), 'resource', /both Resource and NotResource/],
  ['an action without a service prefix', doc({ ...allowAll, Action: 'Encrypt' }), 'resource', /invalid action: Encrypt/],
  ['an empty action list', doc({ ...allowAll, Action: [] }), 'resource', /Action must be a string or a non-empty list/],
  ['a non-string action', doc({ ...allowAll, Action: [1] }), 'resource', /Action must be a string/],
  ['an unknown condition operator', doc({ ...allowAll, Condition: { StringSortOf: { 'aws:username': 'x' } } }), 'resource', /unknown condition operator: StringSortOf/],
  ['an unknown qualifier', doc({ ...allowAll, Condition: { 'ForSomeValues:StringEquals': { 'aws:username': 'x' } } }), 'resource', /unknown condition qualifier/],
  ['Null with IfExists', doc({ ...allowAll, Condition: { NullIfExists: { 'aws:username': 'true' } } }), 'resource', /Null cannot take IfExists/],
  ['a condition value that is an object', doc({ ...allowAll, Condition: { StringEquals: { 'aws:username': { a: 1 } } } }), 'resource', /values must be strings, numbers or booleans/],
  ['an empty condition value list', doc({ ...allowAll, Condition: { StringEquals: { 'aws:username': [] } } }), 'resource', /has no values/],
  ['a Numeric value that is not a number', doc({ ...allowAll, Condition: { NumericLessThan: { 'kms:RotationPeriodInDays': 'ninety' } } }), 'resource', /"ninety" is not a number/],
  ['a Date value that is not a date', doc({ ...allowAll, Condition: { DateLessThan: { 'aws:CurrentTime': 'tomorrow' } } }), 'resource', /"tomorrow" is not a date/],
  ['an IpAddress value that is not a CIDR', doc({ ...allowAll, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } } }), 'resource', /is not an IP address or CIDR block/],
  ['an IPv6 value with a zone id (a grammar error, not a crash)', doc({ ...allowAll, Condition: { IpAddress: { 'aws:SourceIp': 'fe80::%eth0/64' } } }), 'resource', /"fe80::%eth0\/64" is not an IP address or CIDR block/],
  ['a Bool value that is not true or false', doc({ ...allowAll, Condition: { Bool: { 'aws:SecureTransport': 'yes' } } }), 'resource', /"yes" is not true or false/],
  ['ForAllValues with kms:EncryptionContext:<key>', doc({ ...allowAll, Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContext:Department': 'IT' } } }), 'resource', /^OverlyPermissiveCondition:EncryptionContext: Using the ForAllValues set operator/],
]

const accepted: [description: string, text: string, kind: PolicyKind][] = [
  ['AWS\'s default key policy', '{\n  "Version" : "2012-10-17",\n  "Id" : "key-default-1",\n  "Statement" : [ {\n    "Sid" : "Enable IAM User Permissions",\n    "Effect" : "Allow",\n    "Principal" : {\n      "AWS" : "arn:aws:iam::111122223333:root"\n    },\n    "Action" : "kms:*",\n    "Resource" : "*"\n  } ]\n}', 'resource'],
  ['a single statement object instead of an array', JSON.stringify({ Version: '2012-10-17', Statement: allowAll }), 'resource'],
  ['a statement without Action or Resource (inert)', doc({ Effect: 'Allow', Principal: '*' }), 'resource'],
  ['service, federated and canonical-user principals', doc({ ...allowAll, Principal: { Service: 'ec2.amazonaws.com', Federated: 'cognito-identity.amazonaws.com', CanonicalUser: 'abc' } }), 'resource'],
  ['an assumed-role session principal', doc({ ...allowAll, Principal: { AWS: 'arn:aws:sts::111122223333:assumed-role/Admin/alice' } }), 'resource'],
  ['numbers and booleans as condition values', doc({ ...allowAll, Condition: { Bool: { 'kms:MultiRegion': false }, NumericLessThan: { 'kms:RotationPeriodInDays': 400 } } }), 'resource'],
  ['a policy variable where a date is expected', doc({ ...allowAll, Condition: { DateLessThan: { 'aws:CurrentTime': '${aws:TokenIssueTime}' } } }), 'resource'],
  ['an IPv6 CIDR', doc({ ...allowAll, Condition: { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } } }), 'resource'],
  ['an identity policy without a principal', doc({ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Describe*'], Resource: 'arn:aws:kms:*:111122223333:key/*' }), 'identity'],
  ['the 2008-10-17 version', JSON.stringify({ Version: '2008-10-17', Statement: [allowAll] }), 'resource'],
]

describe('parsePolicy() refuses', () => {
  for (const [description, text, kind, message] of refused) {
    it(description, () => {
      assert.throws(() => parsePolicy(text, kind), (e: unknown) => e instanceof PolicyGrammarError && message.test(e.message))
    })
  }
})

describe('parsePolicy() accepts', () => {
  for (const [description, text, kind] of accepted) {
    it(description, () => assert.equal(parsePolicy(text, kind).kind, kind))
  }

  it('reads Sid, Effect, principals and the store reads a policy needs', () => {
    const parsed = parsePolicy(doc({ Sid: 'Tags', Effect: 'Deny', Principal: { AWS: ['111122223333', 'arn:aws:iam::111122223333:role/R'] }, NotAction: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/Project': '${aws:PrincipalTag/Project}' } } }), 'resource')
    const st = parsed.statements[0]!
    assert.deepEqual([st.sid, st.effect, st.index, st.actions], ['Tags', 'Deny', 0, { negated: true, patterns: ['kms:Decrypt'] }])
    assert.deepEqual(st.principal, { negated: false, entries: [{ kind: 'account', accountId: '111122223333' }, { kind: 'arn', arn: 'arn:aws:iam::111122223333:role/R', session: false }] })
    assert.deepEqual(parsed.needs, { resourceTags: true, resourceAliases: false, principalTags: true })
    assert.equal(parsed.allowsVariables, true)
  })
})
