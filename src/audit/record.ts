// The audit record: one per request or scheduled job, in the CloudTrail record format.

export interface AuditUserIdentity {
  type: string
  principalId: string
  arn: string
  accountId: string
  accessKeyId: string
  userName?: string
}

/** Field names follow CloudTrail exactly, so exported records load into CloudTrail tooling unchanged. */
export interface AuditRecord {
  eventVersion: '1.08'
  eventID: string
  eventTime: string
  eventSource: 'kms.amazonaws.com'
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
  readOnly: boolean
  resources: { ARN: string; accountId: string; type: 'AWS::KMS::Key' }[]
  managementEvent: boolean
  recipientAccountId: string
  /** Trent's own extension: why the request was allowed or denied. */
  trentAuthorization?: string
}
