// The audit record: one per request or scheduled job, in the CloudTrail record format, plus the two
// chain fields the store fills in when it appends the record (docs/audit-chain.md).

export interface AuditSessionContext {
  sessionIssuer: { type: 'Role'; principalId: string; arn: string; accountId: string; userName: string }
  attributes: { creationDate?: string; mfaAuthenticated: 'true' | 'false' }
}

export interface AuditUserIdentity {
  type: string
  principalId: string
  arn: string
  accountId: string
  accessKeyId: string
  userName?: string
  sessionContext?: AuditSessionContext
}

/** `trent-peer`: a call by a peer deployment on the peer service (peers/dispatch-peer.ts). */
export type AuditEventSource = 'kms.amazonaws.com' | 'cloudtrail.amazonaws.com' | 'trent-peer'

/** Field names follow CloudTrail exactly, so exported records load into CloudTrail tooling unchanged. */
export interface AuditRecord {
  eventVersion: '1.08'
  eventID: string
  eventTime: string
  eventSource: AuditEventSource
  eventName: string
  eventType: 'AwsApiCall' | 'AwsServiceEvent'
  awsRegion: string
  sourceIPAddress?: string
  userAgent?: string
  requestID: string
  userIdentity?: AuditUserIdentity
  requestParameters: Record<string, unknown> | null
  responseElements: Record<string, unknown> | null
  errorCode?: string
  errorMessage?: string
  /** CloudTrail's extra facts of a service event (the rotation job's new key material id and rotation type). */
  additionalEventData?: Record<string, unknown>
  readOnly: boolean
  resources: { ARN: string; accountId: string; type: 'AWS::KMS::Key' }[]
  managementEvent: boolean
  recipientAccountId: string
  /** What a service event (not a request) is about, as CloudTrail's serviceEventDetails (e.g. a throttling summary). */
  serviceEventDetails?: Record<string, unknown>
  /** Trent's own extension: why the request was allowed or denied. */
  trentAuthorization?: string
  /** Position in the audit chain, from 1; assigned by the store inside its write transaction. */
  trentSequence?: number
  /** SHA-256 (hex) of the previous record's canonical form; 64 zeros for the first record. Set by the store. */
  trentPreviousHash?: string
}

/** A record as the store holds it: placed in the chain. */
export type ChainedAuditRecord = AuditRecord & { trentSequence: number; trentPreviousHash: string }

/** The CloudTrail `Username` of a record: the user name, `root`, or the role session name. */
export function auditUsername(record: AuditRecord): string | undefined {
  const id = record.userIdentity
  if (!id) return undefined
  if (id.userName) return id.userName
  if (id.type === 'Root') return 'root'
  if (id.type === 'AssumedRole') return id.arn.slice(id.arn.lastIndexOf('/') + 1)
  return undefined
}

/**
 * The accounts, other than the caller's (recipientAccountId), that also see this record in LookupEvents: the
 * owners of the keys it names, as CloudTrail logs a cross-account KMS call in the key owner's account too.
 * A request refused with AccessDeniedException stays the caller's alone (as in AWS): otherwise any account
 * could write into another account's view just by naming its keys.
 */
export function auditSharedAccounts(record: AuditRecord): string[] {
  if (record.errorCode === 'AccessDeniedException') return []
  const owners = new Set(record.resources.map((r) => r.accountId))
  owners.delete(record.recipientAccountId)
  owners.delete('')
  return [...owners]
}
