// The key-state rules for every state, with the exact AWS exception and wording.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { KmsError } from '../wire/kms-error.js'
import type { KeyRecord, KeyState } from './key.js'
import { requireEnabled, requireNotPendingDeletion, requireSymmetricEncryptionKey, requireTogglable, requireUsage } from './key-state.js'

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
  it('requireEnabled: crypto works when Enabled or Updating only', () => {
    matrix(requireEnabled, {
      Enabled: null, Updating: null, Disabled: ['DisabledException', 'is disabled.'],
      PendingDeletion: invalid('is pending deletion.'), PendingReplicaDeletion: invalid('is pending replica deletion.'),
      PendingImport: invalid('is pending import.'), Unavailable: invalid('is unavailable.'), Creating: invalid('is creating.'),
    })
  })

  it('requireNotPendingDeletion: tags, aliases and descriptions work in every other state', () => {
    matrix(requireNotPendingDeletion, {
      Enabled: null, Updating: null, Disabled: null, PendingImport: null, Unavailable: null, Creating: null,
      PendingDeletion: invalid('is pending deletion.'), PendingReplicaDeletion: invalid('is pending replica deletion.'),
    })
  })

  it('requireTogglable: EnableKey and DisableKey', () => {
    matrix(requireTogglable, {
      Enabled: null, Disabled: null, Unavailable: null,
      PendingDeletion: invalid('is pending deletion.'), PendingReplicaDeletion: invalid('is pending replica deletion.'),
      PendingImport: invalid('is pending import.'), Creating: invalid('is creating.'), Updating: invalid('is updating.'),
    })
  })

  it('requireUsage and requireSymmetricEncryptionKey name the key, its usage or spec and the operation', () => {
    assert.doesNotThrow(() => requireSymmetricEncryptionKey(keyIn('Enabled'), 'Encrypt'))
    assert.throws(() => requireUsage(keyIn('Enabled', { keyUsage: 'SIGN_VERIFY', keySpec: 'RSA_2048' }), 'ENCRYPT_DECRYPT', 'Encrypt'),
      (e: unknown) => e instanceof KmsError && e.name === 'InvalidKeyUsageException' && e.message === `${ARN} key usage is SIGN_VERIFY which is not valid for Encrypt.`)
    assert.throws(() => requireSymmetricEncryptionKey(keyIn('Enabled', { keySpec: 'RSA_2048' }), 'GenerateDataKey'),
      (e: unknown) => e instanceof KmsError && e.name === 'InvalidKeyUsageException' && e.message === `${ARN} key spec is RSA_2048 which is not valid for GenerateDataKey.`)
  })
})
