// Access keys: creating them (secret wrapped under the root key) and resolving one to its principal.
import { randomBytes } from 'node:crypto'
import type { RootKey } from '../rootkey/root-key.js'
import type { Store } from '../store/store.js'
import { rootArn, type AccessKeyRecord, type Principal } from './principal.js'

const ACCESS_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

function secretAad(accessKeyId: string): Uint8Array {
  return new TextEncoder().encode(`trent/access-key-secret:${accessKeyId}`)
}

/** A 20-character id in AWS's shape (`AKIA` + 16 base32 characters), so tools that check the shape accept it. */
export function generateAccessKeyId(): string {
  const bytes = randomBytes(16)
  let id = 'AKIA'
  for (const b of bytes) id += ACCESS_KEY_ALPHABET[b % 32]
  return id
}

/** A 40-character secret, like AWS's. */
export function generateSecretAccessKey(): string {
  return randomBytes(30).toString('base64')
}

export async function createAccessKey(
  store: Store, rootKey: RootKey, accountId: string, principalArn: string, accessKeyId: string, secretAccessKey: string, now: Date,
): Promise<AccessKeyRecord> {
  const wrappedSecret = await rootKey.wrap(new TextEncoder().encode(secretAccessKey), secretAad(accessKeyId))
  const record: AccessKeyRecord = { accessKeyId, accountId, principalArn, wrappedSecret, status: 'Active', createdAt: now }
  await store.insertAccessKey(record)
  return record
}

function principalFor(record: AccessKeyRecord): Principal {
  if (record.principalArn === rootArn(record.accountId)) {
    return { accountId: record.accountId, arn: record.principalArn, type: 'Root', principalId: record.accountId, accessKeyId: record.accessKeyId }
  }
  const userName = record.principalArn.slice(record.principalArn.lastIndexOf('/') + 1)
  return { accountId: record.accountId, arn: record.principalArn, type: 'IAMUser', principalId: record.accessKeyId, accessKeyId: record.accessKeyId, userName }
}

/** Resolves an access key id to its principal and plaintext secret, for SigV4 verification only. */
export async function lookupCredential(
  store: Store, rootKey: RootKey, accessKeyId: string,
): Promise<{ principal: Principal; secretAccessKey: string } | undefined> {
  const record = await store.getAccessKey(accessKeyId)
  if (!record || record.status !== 'Active') return undefined
  const secret = await rootKey.unwrap(record.wrappedSecret, secretAad(accessKeyId))
  return { principal: principalFor(record), secretAccessKey: new TextDecoder().decode(secret) }
}
