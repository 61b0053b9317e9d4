// Reads the PKCS#11 settings (TRENT_PKCS11_*) from the environment.
import { readFileSync, statSync } from 'node:fs'
import { ConfigError } from '../../config/config.js'
import type { Pkcs11Config } from './pkcs11-config.js'

/** Undefined when no TRENT_PKCS11_* setting is present; throws ConfigError when they are incomplete or contradict. */
export function pkcs11FromEnv(env: NodeJS.ProcessEnv): Pkcs11Config | undefined {
  const { TRENT_PKCS11_MODULE: module, TRENT_PKCS11_TOKEN_LABEL: tokenLabel, TRENT_PKCS11_SLOT: slotText } = env
  const { TRENT_PKCS11_PIN: pinText, TRENT_PKCS11_PIN_FILE: pinFile, TRENT_PKCS11_KEY_LABEL: keyLabel } = env
  if ([module, tokenLabel, slotText, pinText, pinFile, keyLabel].every((v) => v === undefined)) return undefined
  if (!module) throw new ConfigError('TRENT_PKCS11_MODULE must name the PKCS#11 library (e.g. /usr/lib/softhsm/libsofthsm2.so)')
  if ((tokenLabel === undefined) === (slotText === undefined)) throw new ConfigError('set exactly one of TRENT_PKCS11_TOKEN_LABEL and TRENT_PKCS11_SLOT')
  if (slotText !== undefined && !/^\d{1,15}$/.test(slotText)) throw new ConfigError(`TRENT_PKCS11_SLOT must be a slot id (a whole number): ${slotText}`)
  if ((pinText === undefined) === (pinFile === undefined)) throw new ConfigError('set exactly one of TRENT_PKCS11_PIN and TRENT_PKCS11_PIN_FILE')
  if (!keyLabel) throw new ConfigError('TRENT_PKCS11_KEY_LABEL must name the root key in the token')
  const pin = pinText ?? readPinFile(pinFile!)
  if (pin.length === 0) throw new ConfigError('the PKCS#11 PIN is empty')
  return { module, ...(tokenLabel !== undefined ? { tokenLabel } : { slot: Number(slotText) }), pin, keyLabel }
}

/** The first line of the file, which group and others must not be able to read. */
function readPinFile(path: string): string {
  let text: string
  try {
    if ((statSync(path).mode & 0o077) !== 0) throw new ConfigError(`TRENT_PKCS11_PIN_FILE ${path} is accessible to group or others; run: chmod 600 ${path}`)
    text = readFileSync(path, 'utf8')
  } catch (e) {
    if (e instanceof ConfigError) throw e
    throw new ConfigError(`cannot read TRENT_PKCS11_PIN_FILE ${path}: ${e instanceof Error ? e.message : String(e)}`)
  }
  return text.split(/\r?\n/)[0]!.trim()
}
