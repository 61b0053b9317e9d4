// Where the PKCS#11 root key lives: module, token, PIN and key label (TRENT_PKCS11_*).
export interface Pkcs11Config {
  /** Path of the PKCS#11 library (TRENT_PKCS11_MODULE), e.g. /usr/lib/softhsm/libsofthsm2.so. */
  module: string
  /** The token, by label (TRENT_PKCS11_TOKEN_LABEL) or by slot id (TRENT_PKCS11_SLOT); exactly one is set. */
  tokenLabel?: string
  slot?: number
  /** The user PIN (TRENT_PKCS11_PIN, or the first line of TRENT_PKCS11_PIN_FILE). Never logged. */
  pin: string
  /** Label of the AES-256 key in the token (TRENT_PKCS11_KEY_LABEL), generated there on first use if absent. */
  keyLabel: string
}

/** Where the token is, for messages: never the PIN. */
export function describePkcs11(config: Pkcs11Config): string {
  const token = config.tokenLabel !== undefined ? `token "${config.tokenLabel}"` : `slot ${config.slot}`
  return `pkcs11:${config.module} ${token} key "${config.keyLabel}"`
}
