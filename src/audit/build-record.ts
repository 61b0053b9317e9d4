// Builds the CloudTrail-format record for one request from what the pipeline saw.
// Only allow-listed members are copied, so plaintext, blobs and secrets cannot reach the audit log.
import type { Principal } from '../auth/principal.js'
import type { AuditEventSource, AuditRecord, AuditSessionContext, AuditUserIdentity } from './record.js'

export interface AuditFacts {
  /** kms.amazonaws.com unless the request was for another service on this port (CloudTrail). */
  eventSource?: AuditEventSource
  requestId: string
  eventId: string
  eventTime: Date
  region: string
  eventName: string
  sourceIp: string
  userAgent: string | undefined
  principal: Principal | undefined
  /** The caller when it is not a principal of the store (a peer deployment); takes the place of `principal`'s identity. */
  userIdentity?: AuditUserIdentity
  input: Record<string, unknown> | undefined
  output: unknown
  operation: { auditInput: readonly string[]; auditOutput: readonly string[]; readOnly: boolean } | undefined
  /** The exception the caller receives (a KmsError, or another service's error on this port). */
  error: { name: string; message: string; hasMessage?: boolean } | undefined
  resources: { arn: string; accountId: string }[]
  authorizations: string[]
}

/**
 * A member value as the record keeps it: Dates at any depth become ISO strings (JSON would make them `{}`),
 * and byte arrays at any depth are left out.
 */
function recordable(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString()
  if (Array.isArray(v)) return v.filter((inner) => !(inner instanceof Uint8Array)).map(recordable)
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, inner]) => !(inner instanceof Uint8Array)).map(([k, inner]) => [k, recordable(inner)]))
  }
  return v
}

/** Copies the named members, turning Dates into ISO strings; byte arrays are never copied. */
function pick(source: unknown, members: readonly string[]): Record<string, unknown> | null {
  if (!source || typeof source !== 'object') return null
  const out: Record<string, unknown> = {}
  for (const m of members) {
    const v = (source as Record<string, unknown>)[m]
    if (v === undefined || v instanceof Uint8Array) continue
    out[m.charAt(0).toLowerCase() + m.slice(1)] = recordable(v)
  }
  return Object.keys(out).length > 0 ? out : null
}

function uniqueResources(resources: { arn: string; accountId: string }[]): AuditRecord['resources'] {
  const seen = new Map<string, AuditRecord['resources'][number]>()
  for (const r of resources) seen.set(r.arn, { ARN: r.arn, accountId: r.accountId, type: 'AWS::KMS::Key' })
  return [...seen.values()]
}

/** Session facts a principal may also carry (creation time, MFA); read defensively, as not every source sets them. */
type SessionPrincipal = Principal & { sessionCreatedAt?: Date; mfaAuthenticated?: boolean }

/** CloudTrail's sessionContext for an assumed-role principal (`…:assumed-role/<role>/<session>`). */
function sessionContextOf(p: SessionPrincipal): AuditSessionContext | undefined {
  if (p.type !== 'AssumedRole') return undefined
  const roleName = p.arn.slice(p.arn.indexOf(':assumed-role/') + ':assumed-role/'.length).split('/')[0] ?? ''
  const attributes: AuditSessionContext['attributes'] = { mfaAuthenticated: p.mfaAuthenticated ? 'true' : 'false' }
  if (p.sessionCreatedAt) attributes.creationDate = p.sessionCreatedAt.toISOString()
  return {
    sessionIssuer: {
      type: 'Role', principalId: p.principalId.split(':')[0] ?? p.principalId, accountId: p.accountId, userName: roleName,
      // The role ARN keeps the role's path, which the assumed-role ARN drops.
      arn: p.roleArn ?? `arn:aws:iam::${p.accountId}:role/${roleName}`,
    },
    attributes,
  }
}

function userIdentityOf(p: Principal): AuditUserIdentity {
  const identity: AuditUserIdentity = { type: p.type, principalId: p.principalId, arn: p.arn, accountId: p.accountId, accessKeyId: p.accessKeyId }
  if (p.userName) identity.userName = p.userName
  const session = sessionContextOf(p)
  if (session) identity.sessionContext = session
  return identity
}

export function buildAuditRecord(f: AuditFacts): AuditRecord {
  const record: AuditRecord = {
    eventVersion: '1.08',
    eventID: f.eventId,
    eventTime: f.eventTime.toISOString(),
    eventSource: f.eventSource ?? 'kms.amazonaws.com',
    eventName: f.eventName,
    eventType: 'AwsApiCall',
    awsRegion: f.region,
    sourceIPAddress: f.sourceIp,
    requestID: f.requestId,
    requestParameters: f.operation ? pick(f.input, f.operation.auditInput) : null,
    responseElements: f.operation && !f.error ? pick(f.output, f.operation.auditOutput) : null,
    readOnly: f.operation?.readOnly ?? false,
    resources: uniqueResources(f.resources),
    managementEvent: true,
    recipientAccountId: f.principal?.accountId ?? f.resources[0]?.accountId ?? '',
  }
  if (f.userAgent) record.userAgent = f.userAgent
  if (f.principal) record.userIdentity = userIdentityOf(f.principal)
  if (f.userIdentity) record.userIdentity = f.userIdentity
  if (f.error) {
    record.errorCode = f.error.name
    // CloudTrail records the message the service sent; AWS sends none for some exceptions, so neither do we.
    if (f.error.hasMessage !== false) record.errorMessage = f.error.message
  }
  if (f.authorizations.length > 0) record.trentAuthorization = f.authorizations.join('; ')
  return record
}
