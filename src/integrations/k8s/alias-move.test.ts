// Red team: the KMS v2 plugin's Encrypt reports a key_id from a DescribeKey up to --key-id-max-age old, while
// Trent's Encrypt resolves the configured alias afresh. Right after the alias moves to another key, a DEK is
// wrapped under the new key but stored by kube-apiserver with a key_id naming the old one; Decrypt then sends
// that old ARN as KeyId, and KMS answers IncorrectKeyException (the blob names the new key): the DEK, and every
// Secret written with it, can no longer be read through the plugin.
// The KMS here stands in for Trent with the semantics decrypt.ts implements (a KeyId that names another key
// than the blob's is IncorrectKeyException); the behaviour under test is the plugin's alone.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { KMS } from '@aws-sdk/client-kms'
import { kmsV2Service } from './kms-v2-service.js'

const ARN_A = 'arn:aws:kms:us-east-1:111122223333:key/aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'
const ARN_B = 'arn:aws:kms:us-east-1:111122223333:key/bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'

/** A KMS with one alias, alias/k8s, whose target the test moves. Blobs are "<key arn>|<plaintext hex>". */
function aliasKms() {
  const state = { target: ARN_A }
  const resolve = (id: string) => (id === 'alias/k8s' ? state.target : id)
  const kms = {
    async describeKey({ KeyId }: { KeyId: string }) {
      return { KeyMetadata: { Arn: resolve(KeyId), KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled', CurrentKeyMaterialId: 'm1' } }
    },
    async encrypt({ KeyId, Plaintext }: { KeyId: string; Plaintext: Uint8Array }) {
      const arn = resolve(KeyId)
      return { KeyId: arn, CiphertextBlob: new TextEncoder().encode(`${arn}|${Buffer.from(Plaintext).toString('hex')}`) }
    },
    async decrypt({ KeyId, CiphertextBlob }: { KeyId?: string; CiphertextBlob: Uint8Array }) {
      const [arn, hex] = new TextDecoder().decode(CiphertextBlob).split('|') as [string, string]
      if (KeyId !== undefined && resolve(KeyId) !== arn) throw Object.assign(new Error('IncorrectKeyException'), { name: 'IncorrectKeyException', $fault: 'client', $metadata: {} })
      return { KeyId: arn, Plaintext: Buffer.from(hex, 'hex') }
    },
  }
  return { kms: kms as unknown as KMS, state }
}

function call<Res>(service: ReturnType<typeof kmsV2Service>, name: string, request: unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    (service[name] as (c: unknown, cb: (e: unknown, r?: Res) => void) => void)({ request }, (e, r) => (e ? reject(e) : resolve(r!)))
  })
}

describe('the KMS v2 plugin when its alias moves', () => {
  it('reports the key a DEK was really wrapped under, so Decrypt can open it', async () => {
    const { kms, state } = aliasKms()
    const service = kmsV2Service({ kms, keyId: 'alias/k8s' })
    await call(service, 'Status', {}) // the plugin learns key_id (alias -> key A)
    state.target = ARN_B // UpdateAlias alias/k8s -> key B
    const dek = randomBytes(32)
    const sealed = await call<{ ciphertext: Buffer; key_id: string }>(service, 'Encrypt', { plaintext: dek, uid: '1' })
    const opened = await call<{ plaintext: Buffer }>(service, 'Decrypt', { ciphertext: sealed.ciphertext, uid: '2', key_id: sealed.key_id, annotations: {} })
    assert.deepEqual(opened.plaintext, dek)
  })
})
