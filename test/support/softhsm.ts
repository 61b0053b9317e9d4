// A private SoftHSM2 token for tests: its own SOFTHSM2_CONF and token directory under a temporary folder,
// initialised with softhsm2-util. Where SoftHSM2 is not installed the tests that need it skip, except under
// CI=true, where they fail (.ci/run installs the Debian package softhsm2).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so'
const SOFTHSM_UTIL = '/usr/bin/softhsm2-util'

export interface TestToken {
  dir: string
  tokenLabel: string
  pin: string
  /** SOFTHSM2_CONF and the TRENT_PKCS11_* settings for a server or CLI using this token. */
  env(keyLabel?: string): Record<string, string>
  /** Takes the token away (its directory vanishes, as a removed device would) and brings it back. */
  remove(): void
  restore(): void
  cleanup(): void
}

/** Why SoftHSM2 cannot be used here, or undefined when it can. Throws under CI=true instead of returning a reason. */
export function softHsmMissing(): string | undefined {
  const missing = [SOFTHSM_MODULE, SOFTHSM_UTIL].filter((p) => !existsSync(p))
  if (missing.length === 0) return undefined
  const reason = `SoftHSM2 is not installed (missing ${missing.join(', ')}); apt-get install softhsm2`
  if (process.env.CI === 'true') throw new Error(reason)
  return reason
}

/** Initialises a new token in a fresh folder; the caller's process must set SOFTHSM2_CONF (see env()) before loading the module. */
export function createTestToken(tokenLabel = 'trent-test'): TestToken {
  const dir = mkdtempSync(join(tmpdir(), 'trent-softhsm-'))
  const tokens = join(dir, 'tokens')
  mkdirSync(tokens)
  const conf = join(dir, 'softhsm2.conf')
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`)
  const pin = '246810'
  execFileSync(SOFTHSM_UTIL, ['--init-token', '--free', '--label', tokenLabel, '--so-pin', '13579', '--pin', pin], { env: { ...process.env, SOFTHSM2_CONF: conf }, stdio: 'pipe' })
  return {
    dir, tokenLabel, pin,
    env: (keyLabel = 'trent-root') => ({
      SOFTHSM2_CONF: conf, TRENT_PKCS11_MODULE: SOFTHSM_MODULE, TRENT_PKCS11_TOKEN_LABEL: tokenLabel, TRENT_PKCS11_PIN: pin, TRENT_PKCS11_KEY_LABEL: keyLabel,
    }),
    remove: () => renameSync(tokens, `${tokens}.removed`),
    restore: () => renameSync(`${tokens}.removed`, tokens),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/**
 * Puts an AES-256 key with known bytes into the token under `keyLabel` (sensitive, non-extractable, as an
 * administrator importing a key would), so a test can search memory and files for those bytes. Runs in a
 * child process: this process may already have loaded the module with another token's SOFTHSM2_CONF.
 */
export function importKnownKey(token: TestToken, keyLabel: string, key: Uint8Array, id: string): void {
  const pkcs11js = new URL('../../../node_modules/pkcs11js/index.js', import.meta.url).pathname
  const script = `
    const p = require(${JSON.stringify(pkcs11js)}); const m = new p.PKCS11(); m.load(${JSON.stringify(SOFTHSM_MODULE)}); m.C_Initialize()
    const slot = m.C_GetSlotList(true).find((s) => m.C_GetTokenInfo(s).label.trim() === ${JSON.stringify(token.tokenLabel)})
    const s = m.C_OpenSession(slot, p.CKF_SERIAL_SESSION | p.CKF_RW_SESSION); m.C_Login(s, p.CKU_USER, process.env.PIN)
    m.C_CreateObject(s, [
      { type: p.CKA_CLASS, value: p.CKO_SECRET_KEY }, { type: p.CKA_KEY_TYPE, value: p.CKK_AES }, { type: p.CKA_VALUE, value: Buffer.from(process.env.KEY, 'hex') },
      { type: p.CKA_LABEL, value: ${JSON.stringify(keyLabel)} }, { type: p.CKA_ID, value: Buffer.from(${JSON.stringify(id)}, 'hex') },
      { type: p.CKA_TOKEN, value: true }, { type: p.CKA_PRIVATE, value: true }, { type: p.CKA_SENSITIVE, value: true },
      { type: p.CKA_EXTRACTABLE, value: false }, { type: p.CKA_ENCRYPT, value: true }, { type: p.CKA_DECRYPT, value: true },
    ])
    m.C_Logout(s); m.C_CloseSession(s); m.C_Finalize()`
  execFileSync(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH, SOFTHSM2_CONF: token.env().SOFTHSM2_CONF, PIN: token.pin, KEY: Buffer.from(key).toString('hex') }, stdio: 'pipe',
  })
}
