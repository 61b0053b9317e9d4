// Record builders and the per-test store lifecycle shared by the contract suites.
// Dates carry milliseconds because drivers store milliseconds; optional fields are absent, never undefined.
import { it } from 'node:test'
import type { AuditRecord } from '../../audit/record.js'
import type { AliasRecord, KeyRecord, KeyVersion } from '../../keys/key.js'
import type { Store } from '../store.js'

export type OpenStore = () => Promise<Store>

export const ACCOUNT = '111122223333'
export const REGION = 'eu-west-1'

/** Declares a test that gets a fresh store from `open` and always closes it. */
export function storeTest(open: OpenStore) {
  return (name: string, body: (store: Store) => Promise<void>): void => {
    it(name, async () => {
      const store = await open()
      try {
        await body(store)
      } finally {
        await store.close()
      }
    })
  }
}

/** A deterministic key id whose sort order follows `n` (ids compare as strings). */
export function keyIdOf(n: number): string {
  return `${String(n).padStart(8, '0')}-1234-4abc-8def-0123456789ab`
}

export function at(iso: string): Date {
  return new Date(iso)
}

export function makeKey(keyId: string, overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    keyId,
    accountId: ACCOUNT,
    region: REGION,
    createdAt: at('2024-01-02T03:04:05.678Z'),
    description: `key ${keyId}`,
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    origin: 'AWS_KMS',
    keyState: 'Enabled',
    policy: '{"Version":"2012-10-17","Statement":[]}',
    currentVersion: 1,
    multiRegion: false,
    ...overrides,
  }
}

export function makeVersion(keyId: string, version: number, fill = version): KeyVersion {
  return {
    keyId,
    version,
    materialId: fill.toString(16).padStart(2, '0').repeat(32),
    materialIdFormat: 2,
    wrappedMaterial: new Uint8Array(60).fill(fill),
    wrapFormat: 2,
    createdAt: at(`2024-02-0${Math.min(version, 9)}T00:00:00.123Z`),
  }
}

export function makeAlias(aliasName: string, keyId: string, overrides: Partial<AliasRecord> = {}): AliasRecord {
  return {
    accountId: ACCOUNT,
    region: REGION,
    aliasName,
    keyId,
    createdAt: at('2024-03-01T10:00:00.001Z'),
    updatedAt: at('2024-03-01T10:00:00.001Z'),
    ...overrides,
  }
}

export function makeAudit(eventID: string, eventName: string, eventTime: string): AuditRecord {
  return {
    eventVersion: '1.08',
    eventID,
    eventTime,
    eventSource: 'kms.amazonaws.com',
    eventName,
    eventType: 'AwsApiCall',
    awsRegion: REGION,
    sourceIPAddress: '127.0.0.1',
    requestID: `req-${eventID}`,
    userIdentity: {
      type: 'Root',
      principalId: ACCOUNT,
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      accountId: ACCOUNT,
      accessKeyId: 'AKIAEXAMPLE',
    },
    requestParameters: { keyId: keyIdOf(1), encryptionContext: { purpose: 'test' } },
    responseElements: null,
    readOnly: false,
    resources: [{ ARN: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyIdOf(1)}`, accountId: ACCOUNT, type: 'AWS::KMS::Key' }],
    managementEvent: false,
    recipientAccountId: ACCOUNT,
  }
}

/** Drivers may return Buffers; compare versions by their bytes, not their prototype. */
export function plainVersion(v: KeyVersion | undefined): KeyVersion | undefined {
  return v && { ...v, wrappedMaterial: new Uint8Array(v.wrappedMaterial) }
}
