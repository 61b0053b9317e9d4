// The key-state table's rules for every state, with the exact AWS exception and wording (the pipeline-level
// matrix over every served operation is src/operations/key-state-matrix.test.ts).
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { KmsError } from '../wire/kms-error.js'
import type { KeyRecord, KeyState } from './key.js'
import { wireModel } from '../wire/model.generated.js'
import { KEY_STATES, requireKeyState, requireSymmetricEncryptionKey, requireUsage, stateRuleFor } from './key-state.js'

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'

function keyIn(keyState: KeyState, extra: Partial<KeyRecord> = {}): KeyRecord {
  return {
    keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', accountId: '111122223333', region: 'us-east-1', createdAt: new Date(0), description: '',
    keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', keyState, policy: '{}', currentVersion: 1, multiRegion: false, ...extra,
  }
}

/** Runs `check` on a key in each state; `null` means it must pass, a pair is the expected exception. */
function matrix(check: (k: KeyRecord) => void, expected: Record<KeyState, [string, string] | null>): void {
  for (const [state, outcome] of Object.entries(expected) as [KeyState, [string, string] | null][]) {
    if (outcome === null) {
      assert.doesNotThrow(() => check(keyIn(state)), state)
      continue
    }
    assert.throws(() => check(keyIn(state)), (e: unknown) => e instanceof KmsError && e.name === outcome[0] && e.message === `${ARN} ${outcome[1]}`, state)
  }
}

const invalid = (wording: string): [string, string] => ['KMSInvalidStateException', wording]

describe('key state rules', () => {
  it('names exactly the states of the model', () => {
    const shape = wireModel.shapes.KeyState
    assert.deepEqual([...KEY_STATES].sort(), shape?.type === 'string' ? [...(shape.enum ?? [])].sort() : [])
  })

  it('crypto (Encrypt) works when Enabled or Updating only', () => {
    matrix((k) => requireKeyState('Encrypt', k), {
      Enabled: null, Updating: null, Disabled: ['DisabledException', 'is disabled.'],
      PendingDeletion: invalid('is pending deletion.'), PendingReplicaDeletion: invalid('is pending replica deletion.'),
      PendingImport: invalid('is pending import.'), Unavailable: invalid('is unavailable.'), Creating: invalid('is creating.'),
    })
  })

  it('tags, aliases and descriptions (TagResource) work in every state but a pending deletion', () => {
    matrix((k) => requireKeyState('TagResource', k), {
      Enabled: null, Updating: null, Disabled: null, PendingImport: null, Unavailable: null, Creating: null,
      PendingDeletion: invalid('is pending deletion.'), PendingReplicaDeletion: invalid('is pending replica deletion.'),
    })
  })

  it('EnableKey and DisableKey', () => {
    matrix((k) => requireKeyState('DisableKey', k), {
      Enabled: null, Disabled: null, Unavailable: null,
      PendingDeletion: invalid('is pending deletion.'), PendingReplicaDeletion: invalid('is pending replica deletion.'),
      PendingImport: invalid('is pending import.'), Creating: invalid('is creating.'), Updating: invalid('is updating.'),
    })
  })

  it('CancelKeyDeletion works only on a key pending deletion', () => {
    const notPending: [string, string] = ['KMSInvalidStateException', 'is not pending deletion.']
    matrix((k) => requireKeyState('CancelKeyDeletion', k), {
      PendingDeletion: null, PendingReplicaDeletion: null, Enabled: notPending, Disabled: notPending, PendingImport: notPending,
      Unavailable: notPending, Creating: notPending, Updating: notPending,
    })
  })

  it("UpdateAlias's current target may be in any state; its new target may not be pending deletion", () => {
    for (const state of KEY_STATES) assert.doesNotThrow(() => requireKeyState('UpdateAlias', keyIn(state), 'aliasCurrentTarget'), state)
    assert.throws(() => requireKeyState('UpdateAlias', keyIn('PendingDeletion')), /is pending deletion\.$/)
  })

  it('rotation and import operations answer a bare UnsupportedOperationException for an Unavailable (custom key store) key', () => {
    for (const operation of ['EnableKeyRotation', 'GetKeyRotationStatus', 'RotateKeyOnDemand', 'GetParametersForImport', 'ImportKeyMaterial', 'DeleteImportedKeyMaterial'] as const) {
      assert.throws(() => requireKeyState(operation, keyIn('Unavailable')), (e: unknown) => e instanceof KmsError && e.name === 'UnsupportedOperationException' && e.message === '', operation)
    }
  })

  it('an operation that names no key has no rule, so a decision about a key under it fails closed', () => {
    assert.throws(() => stateRuleFor('ListKeys'), /no key-state rule for ListKeys/)
    assert.throws(() => requireKeyState('CreateKey', keyIn('Enabled')), /no key-state rule for CreateKey/)
  })

  it('requireUsage and requireSymmetricEncryptionKey name the key, its usage or spec and the operation', () => {
    assert.doesNotThrow(() => requireSymmetricEncryptionKey(keyIn('Enabled'), 'Encrypt'))
    assert.throws(() => requireUsage(keyIn('Enabled', { keyUsage: 'SIGN_VERIFY', keySpec: 'RSA_2048' }), 'ENCRYPT_DECRYPT', 'Encrypt'),
      (e: unknown) => e instanceof KmsError && e.name === 'InvalidKeyUsageException' && e.message === `${ARN} key usage is SIGN_VERIFY which is not valid for Encrypt.`)
    assert.throws(() => requireSymmetricEncryptionKey(keyIn('Enabled', { keySpec: 'RSA_2048' }), 'GenerateDataKey'),
      (e: unknown) => e instanceof KmsError && e.name === 'InvalidKeyUsageException' && e.message === `${ARN} key spec is RSA_2048 which is not valid for GenerateDataKey.`)
  })
})
