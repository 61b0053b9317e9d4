// The root key settings: TRENT_ROOT_KEY_PROVIDER and TRENT_PKCS11_*, read strictly, the PIN (from env or a
// private file) taken out of the environment, and provider specs for migrations parsed or refused.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ConfigError, loadConfig, takeConfig } from '../../config/config.js'
import { parseRootKeySpec } from '../root-key-spec.js'

const base = { TRENT_PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so', TRENT_PKCS11_TOKEN_LABEL: 'tok', TRENT_PKCS11_PIN: '1234', TRENT_PKCS11_KEY_LABEL: 'root' }

function refuses(env: NodeJS.ProcessEnv, message: RegExp): void {
  assert.throws(() => loadConfig([], env), (e: unknown) => e instanceof ConfigError && message.test(e.message))
}

describe('root key configuration', () => {
  it('defaults to the file provider, and to env when TRENT_ROOT_KEY is set (as before providers existed)', () => {
    assert.equal(loadConfig([], {}).rootKeyProvider, 'file')
    assert.equal(loadConfig([], { TRENT_ROOT_KEY: 'x' }).rootKeyProvider, 'env')
    assert.equal(loadConfig([], { TRENT_ROOT_KEY: 'x', TRENT_ROOT_KEY_PROVIDER: 'file' }).rootKeyProvider, 'file')
    assert.equal(loadConfig([], {}).pkcs11, undefined)
  })

  it('reads the PKCS#11 settings, by token label or by slot', () => {
    const config = loadConfig([], { ...base, TRENT_ROOT_KEY_PROVIDER: 'pkcs11' })
    assert.equal(config.rootKeyProvider, 'pkcs11')
    assert.deepEqual(config.pkcs11, { module: base.TRENT_PKCS11_MODULE, tokenLabel: 'tok', pin: '1234', keyLabel: 'root' })
    const { TRENT_PKCS11_TOKEN_LABEL: _, ...bySlot } = base
    assert.deepEqual(loadConfig([], { ...bySlot, TRENT_PKCS11_SLOT: '229601714' }).pkcs11?.slot, 229601714)
  })

  it('refuses incomplete or contradictory settings', () => {
    refuses({ TRENT_ROOT_KEY_PROVIDER: 'hsm' }, /must be one of file, env, pkcs11: hsm/)
    refuses({ TRENT_ROOT_KEY_PROVIDER: 'env' }, /needs TRENT_ROOT_KEY/)
    refuses({ TRENT_ROOT_KEY_PROVIDER: 'pkcs11' }, /needs TRENT_PKCS11_MODULE/)
    refuses({ ...base, TRENT_PKCS11_MODULE: '' }, /TRENT_PKCS11_MODULE must name/)
    refuses({ ...base, TRENT_PKCS11_SLOT: '1' }, /exactly one of TRENT_PKCS11_TOKEN_LABEL and TRENT_PKCS11_SLOT/)
    refuses({ ...base, TRENT_PKCS11_PIN_FILE: '/x' }, /exactly one of TRENT_PKCS11_PIN and TRENT_PKCS11_PIN_FILE/)
    refuses({ ...base, TRENT_PKCS11_KEY_LABEL: undefined }, /TRENT_PKCS11_KEY_LABEL must name/)
    const { TRENT_PKCS11_TOKEN_LABEL: _, ...bySlot } = base
    refuses({ ...bySlot, TRENT_PKCS11_SLOT: 'first' }, /must be a slot id/)
  })

  it('reads the PIN from a private file, refuses a readable one, and takeConfig() removes TRENT_PKCS11_PIN from the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-pin-'))
    try {
      const pinFile = join(dir, 'pin')
      writeFileSync(pinFile, '987654\nignored\n', { mode: 0o600 })
      const { TRENT_PKCS11_PIN: _, ...noPin } = base
      assert.equal(loadConfig([], { ...noPin, TRENT_PKCS11_PIN_FILE: pinFile }).pkcs11?.pin, '987654')
      chmodSync(pinFile, 0o644)
      refuses({ ...noPin, TRENT_PKCS11_PIN_FILE: pinFile }, /accessible to group or others/)
      refuses({ ...noPin, TRENT_PKCS11_PIN_FILE: join(dir, 'absent') }, /cannot read TRENT_PKCS11_PIN_FILE/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const env: NodeJS.ProcessEnv = { ...base }
    assert.equal(takeConfig([], env).pkcs11?.pin, '1234')
    assert.equal(env.TRENT_PKCS11_PIN, undefined)
    assert.equal(env.TRENT_PKCS11_KEY_LABEL, 'root')
  })

  it('parses root key specs for migrations, and refuses unknown ones', () => {
    const config = loadConfig([], { ...base, TRENT_ROOT_KEY: 'x' })
    assert.deepEqual(parseRootKeySpec('file', config), { kind: 'file', path: config.rootKeyFile })
    assert.deepEqual(parseRootKeySpec('file:/keys/old.key', config), { kind: 'file', path: resolve('/keys/old.key') })
    assert.deepEqual(parseRootKeySpec('env', config), { kind: 'env' })
    assert.deepEqual(parseRootKeySpec('pkcs11', config), { kind: 'pkcs11', keyLabel: 'root' })
    assert.deepEqual(parseRootKeySpec('pkcs11:next-root', config), { kind: 'pkcs11', keyLabel: 'next-root' })
    assert.throws(() => parseRootKeySpec('vault', config), /unknown root key spec "vault"/)
    assert.throws(() => parseRootKeySpec('pkcs11', loadConfig([], {})), /needs TRENT_PKCS11_MODULE/)
    assert.throws(() => parseRootKeySpec('env', loadConfig([], {})), /needs TRENT_ROOT_KEY/)
  })
})
