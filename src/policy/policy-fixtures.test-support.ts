// Shared fixtures of the policy tests: the accounts, principals and key of the AWS documentation's
// examples, and builders for requests and documents. Test support only; no production code imports it.
import type { NamedPolicy } from './decide.js'
import type { PolicyDocument } from './document.js'
import { parsePolicy } from './parse.js'
import { contextOf, type CallerFacts, type ContextValue, type PolicyRequest } from './request.js'

export const ACCT = '111122223333'
export const OTHER = '444455556666'
export const KEY_ARN = `arn:aws:kms:us-west-2:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`
export const OTHER_KEY_ARN = `arn:aws:kms:us-west-2:${OTHER}:key/0987dcba-09fe-87dc-65ba-ab0987654321`

export const root = (account = ACCT): CallerFacts => ({ arn: `arn:aws:iam::${account}:root`, accountId: account, isAccountRoot: true })
export const user = (name: string, account = ACCT): CallerFacts => ({ arn: `arn:aws:iam::${account}:user/${name}`, accountId: account, isAccountRoot: false })
export const session = (role: string, sessionName: string, account = ACCT): CallerFacts => ({
  arn: `arn:aws:sts::${account}:assumed-role/${role}/${sessionName}`, accountId: account, roleArn: `arn:aws:iam::${account}:role/${role}`, isAccountRoot: false,
})

export interface RequestSpec {
  caller?: CallerFacts
  action?: string
  resource?: string
  context?: Record<string, ContextValue | undefined>
}

/** A request with the global keys the authorizer would set for the caller, plus `context`. */
export function request(spec: RequestSpec = {}): PolicyRequest {
  const caller = spec.caller ?? user('ExampleUser')
  const base: Record<string, ContextValue> = {
    'aws:PrincipalArn': caller.roleArn ?? caller.arn, 'aws:PrincipalAccount': caller.accountId, 'kms:CallerAccount': caller.accountId,
  }
  return {
    caller, action: spec.action ?? 'kms:Encrypt', resource: spec.resource ?? KEY_ARN,
    context: contextOf({ ...base, ...spec.context }),
  }
}

/** A document from statements given as plain objects. */
export function policy(kind: 'resource' | 'identity', ...statements: object[]): PolicyDocument {
  return parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), kind)
}

export const keyPolicy = (...statements: object[]): PolicyDocument => policy('resource', ...statements)

export function identityPolicy(name: string, owner: string, ...statements: object[]): NamedPolicy {
  return { name, owner, document: policy('identity', ...statements) }
}

/** AWS's default key policy: the account root, i.e. delegation to the account's identity policies. */
export const defaultKeyPolicy = (account = ACCT): PolicyDocument => keyPolicy({
  Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*',
})
