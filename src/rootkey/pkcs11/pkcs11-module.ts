// One loaded, initialised PKCS#11 module per library path in this process. C_Initialize may run only once
// per process, and two root keys (a migration from one token key to another) can share a module.
import pkcs11js from 'pkcs11js'

const loaded = new Map<string, pkcs11js.PKCS11>()

/** The module at `path`, loaded and initialised on first use. Throws when the library cannot be loaded. */
export function pkcs11Module(path: string): pkcs11js.PKCS11 {
  const existing = loaded.get(path)
  if (existing) return existing
  const module = new pkcs11js.PKCS11()
  module.load(path)
  try {
    module.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK })
  } catch (e) {
    if (!(e instanceof pkcs11js.Pkcs11Error && e.code === pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED)) throw e
  }
  loaded.set(path, module)
  return module
}

/** The PKCS#11 return-value name of an error from the module (e.g. 'CKR_DEVICE_REMOVED'), else its class name. */
export function pkcs11ErrorName(e: unknown): string {
  if (e instanceof pkcs11js.Pkcs11Error) return /CKR_[A-Z_]+/.exec(e.message)?.[0] ?? `CKR 0x${e.code.toString(16)}`
  return e instanceof Error ? e.name : 'error'
}

export { pkcs11js }
