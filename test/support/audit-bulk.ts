// Synthetic audit records in bulk, for the lookup scale test and the 1M-record benchmark: several accounts,
// keys, users and operation names, one record per 10 ms of event time.
import type { AuditRecord } from '../../src/audit/record.js'
import type { AuditLookupQuery, AuditStore } from '../../src/store/audit-store.js'

export const BULK_ACCOUNTS = ['111122223333', '444455556666']
export const BULK_START = Date.parse('2026-01-01T00:00:00Z')
const NAMES = ['Encrypt', 'Decrypt', 'GenerateDataKey', 'DescribeKey', 'ReEncrypt', 'Sign', 'Verify']

export function bulkKeyArn(account: string, key: number): string {
  return `arn:aws:kms:us-east-1:${account}:key/00000000-0000-4000-8000-${String(key).padStart(12, '0')}`
}

/** Whether record `i` is a cross-account call: the second account's caller on a key of the first (1 in 10). */
function isBulkCrossAccount(i: number): boolean {
  return i % 10 === 3
}

/**
 * Record `i`: 1 in 1000 is a rare CreateKey, users alternate among 20, keys among 500 per account, and 1 in 10
 * is a cross-account call, which the first account (the key owner) also sees.
 */
export function bulkRecord(i: number): AuditRecord {
  const account = BULK_ACCOUNTS[i % BULK_ACCOUNTS.length]!
  const owner = isBulkCrossAccount(i) ? BULK_ACCOUNTS[0]! : account
  const name = i % 1000 === 0 ? 'CreateKey' : NAMES[i % NAMES.length]!
  const user = `user-${i % 20}`
  return {
    eventVersion: '1.08', eventID: `bulk-${i}`, eventTime: new Date(BULK_START + i * 10).toISOString(), eventSource: 'kms.amazonaws.com',
    eventName: name, eventType: 'AwsApiCall', awsRegion: 'us-east-1', sourceIPAddress: '10.0.0.1', userAgent: 'aws-sdk-js/3', requestID: `req-${i}`,
    userIdentity: { type: 'IAMUser', principalId: `AIDA${i % 20}`, arn: `arn:aws:iam::${account}:user/${user}`, accountId: account, accessKeyId: `AKIDBULK${String(i % 20).padStart(12, '0')}`, userName: user },
    requestParameters: { keyId: bulkKeyArn(owner, i % 500), encryptionContext: { tenant: `t${i % 7}` } },
    responseElements: null, readOnly: name === 'DescribeKey', managementEvent: true, recipientAccountId: account,
    resources: [{ ARN: bulkKeyArn(owner, i % 500), accountId: owner, type: 'AWS::KMS::Key' }],
  }
}

/** Appends records 0..count-1 in store batches of `batch`. */
export async function appendBulk(store: AuditStore, count: number, batch = 5000): Promise<void> {
  for (let start = 0; start < count; start += batch) {
    const records: AuditRecord[] = []
    for (let i = start; i < Math.min(count, start + batch); i++) records.push(bulkRecord(i))
    await store.appendAudit(records)
  }
}

/** The lookups a LookupEvents caller makes most, with a label each. */
export function bulkQueries(count: number): { label: string; query: AuditLookupQuery }[] {
  const account = BULK_ACCOUNTS[0]!
  const mid = BULK_START + Math.floor(count / 2) * 10
  return [
    { label: 'newest page, no filter', query: { accountId: account, limit: 51 } },
    { label: 'EventName (rare: CreateKey)', query: { accountId: account, attribute: { key: 'EventName', value: 'CreateKey' }, limit: 51 } },
    { label: 'EventName (common: Encrypt)', query: { accountId: account, attribute: { key: 'EventName', value: 'Encrypt' }, limit: 51 } },
    { label: 'ResourceName (key ARN)', query: { accountId: account, attribute: { key: 'ResourceName', value: bulkKeyArn(account, 42) }, limit: 51 } },
    { label: 'Username', query: { accountId: account, attribute: { key: 'Username', value: 'user-4' }, limit: 51 } },
    { label: 'AccessKeyId', query: { accountId: account, attribute: { key: 'AccessKeyId', value: 'AKIDBULK000000000006' }, limit: 51 } },
    { label: 'EventId', query: { accountId: account, attribute: { key: 'EventId', value: `bulk-${count - 2}` }, limit: 51 } },
    { label: 'ReadOnly true (common side)', query: { accountId: account, attribute: { key: 'ReadOnly', value: 'true' }, limit: 51 } },
    { label: 'ReadOnly false (partial index)', query: { accountId: account, attribute: { key: 'ReadOnly', value: 'false' }, limit: 51 } },
    { label: 'EventSource kms (common side)', query: { accountId: account, attribute: { key: 'EventSource', value: 'kms.amazonaws.com' }, limit: 51 } },
    { label: 'EventSource cloudtrail (none)', query: { accountId: account, attribute: { key: 'EventSource', value: 'cloudtrail.amazonaws.com' }, limit: 51 } },
    { label: 'time window in the middle', query: { accountId: account, start: new Date(mid), end: new Date(mid + 60_000), limit: 51 } },
    { label: 'deep page (resume at the middle)', query: { accountId: account, before: { eventTime: mid, sequence: Math.floor(count / 2) }, limit: 51 } },
    { label: 'no match (other account name)', query: { accountId: account, attribute: { key: 'Username', value: 'nobody' }, limit: 51 } },
    // The key owner's view of the other account's calls (all of these match cross-account records only).
    { label: 'owner: ResourceName (key used by the other account)', query: { accountId: account, attribute: { key: 'ResourceName', value: bulkKeyArn(account, 43) }, limit: 51 } },
    { label: 'owner: AccessKeyId (the other account\'s caller)', query: { accountId: account, attribute: { key: 'AccessKeyId', value: 'AKIDBULK000000000003' }, limit: 51 } },
    { label: 'owner: Username (the other account\'s user)', query: { accountId: account, attribute: { key: 'Username', value: 'user-13' }, limit: 51 } },
    { label: 'owner: EventId (a cross-account call)', query: { accountId: account, attribute: { key: 'EventId', value: `bulk-${Math.floor((count - 4) / 10) * 10 + 3}` }, limit: 51 } },
  ]
}

/** Runs each query `repeat` times and returns the median milliseconds and the row count per label. */
export async function timeQueries(store: AuditStore, queries: { label: string; query: AuditLookupQuery }[], repeat = 5): Promise<{ label: string; ms: number; rows: number }[]> {
  const out: { label: string; ms: number; rows: number }[] = []
  for (const { label, query } of queries) {
    const times: number[] = []
    let rows = 0
    for (let r = 0; r < repeat; r++) {
      const start = performance.now()
      rows = (await store.lookupAudit(query)).length
      times.push(performance.now() - start)
    }
    times.sort((a, b) => a - b)
    out.push({ label, ms: Number(times[Math.floor(times.length / 2)]!.toFixed(3)), rows })
  }
  return out
}
