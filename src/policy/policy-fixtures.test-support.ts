// Shared fixtures of the policy tests: the accounts, principals and key of the AWS documentation's
// examples, and builders for requests and documents. Test support only; no production code imports it.
import { createHash } from 'node:crypto'
import type { NamedPolicy } from './decide.js'
import type { PolicyDocument, PrincipalBindings } from './document.js'
import type { GrantRecord } from './grant.js'
import { parsePolicy } from './parse.js'
import { contextOf, type CallerFacts, type ContextValue, type PolicyRequest } from './request.js'

export const ACCT = '111122223333'
export const OTHER = '444455556666'
export const KEY_ARN = `arn:aws:kms:us-west-2:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`
export const OTHER_KEY_ARN = `arn:aws:kms:us-west-2:${OTHER}:key/0987dcba-09fe-87dc-65ba-ab0987654321`

/**
 * The unique id the fixtures' world gives the identity an ARN names: one id per user or role ARN, and a
 * session ARN the id of its role. It stands in for the store, where each identity has a random id.
 */
export function testIdOf(arn: string): string | undefined {
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn)
  const identity = session ? `arn:aws:iam::${session[1]}:role/${session[2]}` : arn
  const kind = /^arn:aws:iam::\d{12}:(user|role)\//.exec(identity)?.[1]
  if (kind === undefined) return undefined
  const digest = createHash('sha256').update(identity).digest('hex').toUpperCase().replace(/[^A-Z2-7]/g, '').padEnd(17, 'Q').slice(0, 17)
  return `${kind === 'user' ? 'AIDA' : 'AROA'}${digest}`
}

export const root = (account = ACCT): CallerFacts => ({ arn: `arn:aws:iam::${account}:root`, accountId: account, isAccountRoot: true })
export const user = (name: string, account = ACCT): CallerFacts => {
  const arn = `arn:aws:iam::${account}:user/${name}`
  return { arn, accountId: account, isAccountRoot: false, uniqueId: testIdOf(arn)! }
}
export const session = (role: string, sessionName: string, account = ACCT): CallerFacts => {
  const roleArn = `arn:aws:iam::${account}:role/${role}`
  return { arn: `arn:aws:sts::${account}:assumed-role/${role}/${sessionName}`, accountId: account, roleArn, isAccountRoot: false, uniqueId: testIdOf(roleArn)! }
}

/** The bindings a store would give `doc` if every user and role it names existed (with its testIdOf id). */
export function bindingsOf(doc: PolicyDocument | undefined): PrincipalBindings {
  const out: Record<string, string> = {}
  for (const st of doc?.statements ?? []) {
    for (const e of st.principal?.entries ?? []) {
      const id = e.kind === 'arn' ? testIdOf(e.arn) : undefined
      if (e.kind === 'arn' && id !== undefined) out[e.arn] = id
    }
  }
  return out
}

/** The grant as CreateGrant would store it if its grantee and retiring principal existed. */
export function boundGrant(grant: GrantRecord): GrantRecord {
  const bound = { ...grant }
  const granteeId = testIdOf(grant.granteePrincipal)
  if (granteeId !== undefined && grant.granteeUniqueId === undefined) bound.granteeUniqueId = granteeId
  const retiringId = grant.retiringPrincipal === undefined ? undefined : testIdOf(grant.retiringPrincipal)
  if (retiringId !== undefined && grant.retiringUniqueId === undefined) bound.retiringUniqueId = retiringId
  return bound
}

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
