// Who the console is signed in as. There is no GetCallerIdentity (STS is not served), so the account is read
// from what the API already shows this principal: a key ARN from ListKeys, or its own latest audit record.
import { ApiError, cloudTrail, kms } from './api.js'
import { loadSession } from './session.js'

export interface Identity {
  accountId?: string
  /** The principal's ARN, when its own audit records are readable. */
  arn?: string
}

let cached: { accessKeyId: string; identity: Identity } | undefined

async function fromKeys(): Promise<string | undefined> {
  try {
    const page = await kms<{ Keys?: { KeyArn: string }[] }>('ListKeys', { Limit: 1 })
    return page.Keys?.[0]?.KeyArn.split(':')[4]
  } catch (e) {
    if (e instanceof ApiError) return undefined
    throw e
  }
}

async function fromAudit(accessKeyId: string): Promise<Identity> {
  try {
    const page = await cloudTrail<{ Events?: { CloudTrailEvent?: string }[] }>('LookupEvents', {
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: accessKeyId }], MaxResults: 1,
    })
    const record = JSON.parse(page.Events?.[0]?.CloudTrailEvent ?? '{}') as { userIdentity?: { arn?: string; accountId?: string } }
    return { accountId: record.userIdentity?.accountId, arn: record.userIdentity?.arn }
  } catch (e) {
    if (e instanceof ApiError) return {}
    throw e
  }
}

/** The signed-in principal's account and ARN, as far as its own permissions reveal them (cached per access key). */
export async function currentIdentity(): Promise<Identity> {
  const session = loadSession()
  if (!session) return {}
  if (cached?.accessKeyId === session.accessKeyId && cached.identity.accountId) return cached.identity
  const audit = await fromAudit(session.accessKeyId)
  const identity = { ...audit, accountId: audit.accountId ?? (await fromKeys()) }
  cached = { accessKeyId: session.accessKeyId, identity }
  return identity
}

/** AWS's default key policy for `accountId`: the account may use IAM policies to allow access. */
export function defaultKeyPolicy(accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17', Id: 'key-default-1',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' }],
  }, null, 2)
}
