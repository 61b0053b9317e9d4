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
