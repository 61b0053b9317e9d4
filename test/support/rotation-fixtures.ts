// Shared steps of the rotation tests: read a key's rotation status and current material, and make an EXTERNAL
// key (which CreateKey does not make yet) straight in the store.
import { randomUUID } from 'node:crypto'
import { defaultKeyPolicy } from '../../src/operations/key-policy.js'
import { TEST_ACCOUNT, TEST_REGION, type Harness } from './harness.js'
import { DAY_MS, arnFor, ok, type TestKey } from './kms-fixtures.js'

/** An epoch-seconds wire timestamp `days` after the harness clock's now. */
export function secondsAfterNow(h: Harness, days: number): number {
  return (h.clock.now().getTime() + days * DAY_MS) / 1000
}

export async function rotationStatus(h: Harness, keyId: string): Promise<Record<string, unknown>> {
  return ok(h, 'GetKeyRotationStatus', { KeyId: keyId })
}

export async function currentMaterialId(h: Harness, keyId: string): Promise<string> {
  const meta = (await ok(h, 'DescribeKey', { KeyId: keyId })).KeyMetadata as { CurrentKeyMaterialId: string }
  return meta.CurrentKeyMaterialId
}

/** Rotations as ListKeyRotations lists them (ROTATIONS_ONLY unless `include` says otherwise), every page. */
export async function listRotations(h: Harness, keyId: string, include?: string): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = []
  let marker: string | undefined
  do {
    const page = await ok(h, 'ListKeyRotations', { KeyId: keyId, IncludeKeyMaterial: include, Marker: marker })
    all.push(...(page.Rotations as Record<string, unknown>[]))
    marker = page.NextMarker as string | undefined
  } while (marker !== undefined)
  return all
}

/** An Enabled symmetric key of origin EXTERNAL with no material of its own (the import helper's keys look so). */
export async function externalKey(h: Harness, keyState: 'Enabled' | 'PendingImport' = 'Enabled'): Promise<TestKey> {
  const keyId = randomUUID()
  await h.services.store.insertKey({
    keyId, accountId: TEST_ACCOUNT, region: TEST_REGION, createdAt: h.clock.now(), description: '', keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT', origin: 'EXTERNAL', keyState, policy: defaultKeyPolicy(TEST_ACCOUNT), currentVersion: 0, multiRegion: false,
  }, null, [])
  return { keyId, arn: arnFor(keyId) }
}
