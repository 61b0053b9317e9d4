// The deletion job: destroys keys whose waiting period has ended, and audits each destruction.
// Deletion happens only here, never as a side effect of reading a key.
import { randomUUID } from 'node:crypto'
import type { AuditLog } from '../audit/audit-log.js'
import { newEventId } from '../audit/event-id.js'
import type { AuditRecord } from '../audit/record.js'
import type { Clock } from '../config/clock.js'
import { keyArn, type KeyRecord } from '../keys/key.js'
import type { Keyring } from '../keys/keyring.js'
import type { Store } from '../store/store.js'

export interface JobDeps {
  store: Store
  keyring: Keyring
  auditLog: AuditLog
  clock: Clock
}

function deletionEvent(key: KeyRecord, now: Date): AuditRecord {
  const arn = keyArn(key)
  return {
    eventVersion: '1.08', eventID: newEventId(now), eventTime: now.toISOString(), eventSource: 'kms.amazonaws.com',
    eventName: 'DeleteKey', eventType: 'AwsServiceEvent', awsRegion: key.region, requestID: randomUUID(),
    requestParameters: null, responseElements: null, readOnly: false, managementEvent: true,
    resources: [{ ARN: arn, accountId: key.accountId, type: 'AWS::KMS::Key' }], recipientAccountId: key.accountId,
  }
}

/**
 * Destroys every key due for deletion; returns their ids. The audit record is written before the key goes.
 * `mayContinue` is asked before each key (the scheduler renews its lease there): on false the run stops, so a
 * process that lost the jobs lease never audits a destruction another process is also doing.
 */
export async function deleteExpiredKeys(deps: JobDeps, mayContinue: () => Promise<boolean> = async () => true): Promise<string[]> {
  const now = deps.clock.now()
  const due = await deps.store.listKeysDueForDeletion(now)
  const destroyed: string[] = []
  for (const key of due) {
    if (!(await mayContinue())) break
    await deps.auditLog.write(deletionEvent(key, now))
    await deps.store.destroyKey(key.keyId)
    await deps.keyring.forget(key.keyId) // here and in every crypto worker
    destroyed.push(key.keyId)
  }
  return destroyed
}
