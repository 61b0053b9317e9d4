// A root key that lives in a PKCS#11 token (an HSM; SoftHSM2 in the tests). It is an AES-256 key created in
// the token as sensitive and non-extractable, and every wrap and unwrap is AES-256-GCM run inside the token
// (CKM_AES_GCM) with the caller's AAD, so the inner blob is the same 0x01 | IV | ciphertext | tag as the
// in-process providers write, with the same AAD binding; the key itself never enters this process.
// The session is reopened after any token fault, so Trent recovers when the token comes back.
import { randomPublic } from '../../crypto/random-pool.js'
import { KeyWrapError } from '../../crypto/key-wrap.js'
import { gcmIvBytes, gcmTagBytes } from '../../crypto/aes-gcm.js'
import { labelledRootKey, RootKeyUnavailableError, type RootKey } from '../root-key.js'
import { describePkcs11, type Pkcs11Config } from './pkcs11-config.js'
import { minResetIntervalMs, pkcs11ErrorName, pkcs11Generation, pkcs11js, pkcs11Module, resetPkcs11Module } from './pkcs11-module.js'

const innerFormat = 0x01
const idBytes = 8
/**
 * How many times opening tries a token it cannot reach, each try after the module may re-initialise again.
 * SoftHSM2 rewrites token.object at every C_Login, and a C_Initialize in another process that scans the token
 * folder at that moment leaves the token out ("no such token present"): cluster workers starting together
 * do both at once. A token that is really absent still fails, about two seconds later.
 */
const openAttempts = 3

interface Open {
  session: Buffer
  key: Buffer
  /** The module generation the session was opened under (pkcs11-module.ts). */
  generation: number
}

/** Codes C_Decrypt returns for a blob that does not authenticate (SoftHSM says CKR_GENERAL_ERROR). */
const authFailureCodes = new Set([pkcs11js.CKR_ENCRYPTED_DATA_INVALID, pkcs11js.CKR_ENCRYPTED_DATA_LEN_RANGE, pkcs11js.CKR_GENERAL_ERROR, pkcs11js.CKR_FUNCTION_FAILED])

/**
 * Opens the token's root key: the one key with the label, generated there when none has it and `create` allows
 * (a data folder without a database, or a migration's target). The key is then fixed by its CKA_ID: every
 * reconnect finds that exact object again, so a later key with the same label can never take its place.
 * Throws RootKeyUnavailableError when the module, token or key cannot be reached (after openAttempts tries),
 * Error when the PIN is wrong, several keys carry the label, none does and `create` is false, or the key is
 * unfit (not a sensitive, non-extractable AES-256 key with a CKA_ID).
 */
export async function openPkcs11RootKey(config: Pkcs11Config, options: { create: boolean } = { create: true }, random = randomPublic): Promise<RootKey> {
  const description = describePkcs11(config)
  const token = await openTokenSession(config, description, options.create)
  const id = token.rootKeyId()
  const gcm = (iv: Uint8Array, aad: Uint8Array): pkcs11js.Mechanism => ({
    mechanism: pkcs11js.CKM_AES_GCM,
    parameter: { type: pkcs11js.CK_PARAMS_AES_GCM, iv: Buffer.from(iv), aad: Buffer.from(aad), ivBits: gcmIvBytes * 8, tagBits: gcmTagBytes * 8 } as pkcs11js.AesGCM,
  })
  return labelledRootKey(id, description, {
    async seal(material, aad) {
      const iv = random(gcmIvBytes)
      const input = Buffer.from(material)
      const sealed = token.run((m, o) => {
        try {
          m.C_EncryptInit(o.session, gcm(iv, aad), o.key)
          return new Uint8Array(m.C_Encrypt(o.session, input, Buffer.alloc(material.length + gcmTagBytes)))
        } finally {
          // The copy handed to the module holds plaintext material.
          input.fill(0)
        }
      })
      const out = new Uint8Array(1 + gcmIvBytes + sealed.length)
      out[0] = innerFormat
      out.set(iv, 1)
      out.set(sealed, 1 + gcmIvBytes)
      return out
    },
    async open(inner, aad) {
      if (inner.length < 1 + gcmIvBytes + gcmTagBytes) throw new KeyWrapError('wrapped key material is truncated')
      if (inner[0] !== innerFormat) throw new KeyWrapError('unsupported wrapped key material format')
      const iv = inner.subarray(1, 1 + gcmIvBytes)
      const sealed = Buffer.from(inner.subarray(1 + gcmIvBytes))
      return token.run((m, o) => {
        const out = Buffer.alloc(sealed.length)
        try {
          m.C_DecryptInit(o.session, gcm(iv, aad), o.key)
          return new Uint8Array(m.C_Decrypt(o.session, sealed, out))
        } finally {
          out.fill(0)
        }
      }, { authFailureIsWrapError: true })
    },
  }, { opensUnlabelled: false, probe: async () => token.probe(), close: async () => token.close() })
}

/** A new TokenSession, tried again (openAttempts) while the token cannot be reached; other errors at once. */
async function openTokenSession(config: Pkcs11Config, description: string, create: boolean): Promise<TokenSession> {
  for (let attempt = 1; ; attempt++) {
    try {
      return new TokenSession(config, description, create)
    } catch (e) {
      if (!(e instanceof RootKeyUnavailableError) || attempt >= openAttempts) throw e
      // Past the reset interval, so the next try re-scans the tokens; the jitter parts processes that failed together.
      await new Promise((resolve) => setTimeout(resolve, minResetIntervalMs + Math.floor(Math.random() * 250)))
    }
  }
}

/** One logged-in session and the key's handle, reopened after a fault. Every call is synchronous (pkcs11js). */
class TokenSession {
  private open: Open | undefined
  private readonly config: Pkcs11Config
  private readonly description: string
  /** The CKA_ID of the key settled on at open; every reconnect looks up exactly this object. */
  private readonly keyId: Buffer

  constructor(config: Pkcs11Config, description: string, create: boolean) {
    this.config = config
    this.description = description
    let keyId: Buffer | undefined
    this.open = this.reconnect((session) => {
      const key = this.settleKey(session, create)
      keyId = this.ckaId(session, key)
      return key
    })
    this.keyId = keyId!
  }

  /** "p11:" + the hex CKA_ID of the key object. */
  rootKeyId(): string {
    return `p11:${this.keyId.toString('hex')}`
  }

  /**
   * Runs `op` on the open session, reopening it first after an earlier fault. A module error becomes
   * RootKeyUnavailableError (and the session is dropped), except, with `authFailureIsWrapError`, a decrypt
   * failure while the token is demonstrably healthy: that is a blob that does not authenticate (KeyWrapError).
   */
  run<T>(op: (m: pkcs11js.PKCS11, o: Open) => T, options: { authFailureIsWrapError?: boolean } = {}): T {
    if (this.open && this.open.generation !== pkcs11Generation(this.config.module)) this.open = undefined
    const open = this.open ?? (this.open = this.reconnect((session) => this.keyById(session)))
    try {
      return op(this.module, open)
    } catch (e) {
      if (!(e instanceof pkcs11js.Pkcs11Error)) throw e
      if (options.authFailureIsWrapError && authFailureCodes.has(e.code) && this.healthy(open)) {
        throw new KeyWrapError('wrapped key material failed authentication')
      }
      this.drop()
      throw new RootKeyUnavailableError(`${this.description} is unavailable: ${pkcs11ErrorName(e)}`)
    }
  }

  /** Throws RootKeyUnavailableError unless the key object is reachable now (reconnecting if needed). */
  probe(): void {
    this.run((m, o) => m.C_GetAttributeValue(o.session, o.key, [{ type: pkcs11js.CKA_KEY_TYPE }]))
  }

  close(): void {
    this.drop()
  }

  private healthy(open: Open): boolean {
    try {
      this.module.C_GetAttributeValue(open.session, open.key, [{ type: pkcs11js.CKA_KEY_TYPE }])
      return true
    } catch {
      return false
    }
  }

  private drop(): void {
    const open = this.open
    this.open = undefined
    if (!open) return
    try {
      this.module.C_CloseSession(open.session)
    } catch {
      // The session is already gone with the token; nothing to release.
    }
  }

  /** connect(), and once more after re-initialising the module when the token cannot be reached. */
  private reconnect(findKey: (session: Buffer) => Buffer): Open {
    try {
      return this.connect(findKey)
    } catch (e) {
      if (!(e instanceof RootKeyUnavailableError) || !resetPkcs11Module(this.config.module)) throw e
      return this.connect(findKey)
    }
  }

  /** The module, initialised; RootKeyUnavailableError when it cannot be loaded or initialised. */
  private get module(): pkcs11js.PKCS11 {
    try {
      return pkcs11Module(this.config.module)
    } catch (e) {
      throw new RootKeyUnavailableError(`${this.description} is unavailable: cannot load or initialise the module (${pkcs11ErrorName(e)})`)
    }
  }

  private connect(findKey: (session: Buffer) => Buffer): Open {
    const m = this.module
    const generation = pkcs11Generation(this.config.module)
    let session: Buffer
    try {
      session = m.C_OpenSession(this.findSlot(), pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION)
    } catch (e) {
      if (e instanceof RootKeyUnavailableError) throw e
      throw new RootKeyUnavailableError(`${this.description} is unavailable: ${pkcs11ErrorName(e)}`)
    }
    try {
      this.login(session)
      return { session, key: findKey(session), generation }
    } catch (e) {
      try {
        m.C_CloseSession(session)
      } catch {
        // Best effort: the session is abandoned either way.
      }
      if (e instanceof pkcs11js.Pkcs11Error) throw new RootKeyUnavailableError(`${this.description} is unavailable: ${pkcs11ErrorName(e)}`)
      throw e
    }
  }

  private findSlot(): Buffer {
    const m = this.module
    let slots: Buffer[]
    try {
      slots = m.C_GetSlotList(true)
    } catch (e) {
      throw new RootKeyUnavailableError(`${this.description} is unavailable: ${pkcs11ErrorName(e)}`)
    }
    const { tokenLabel, slot } = this.config
    const found = slots.find((s) => tokenLabel !== undefined ? m.C_GetTokenInfo(s).label.trim() === tokenLabel : Number(s.readBigUInt64LE(0)) === slot)
    if (!found) throw new RootKeyUnavailableError(`${this.description} is unavailable: no such token present`)
    return found
  }

  private login(session: Buffer): void {
    try {
      this.module.C_Login(session, pkcs11js.CKU_USER, this.config.pin)
    } catch (e) {
      if (e instanceof pkcs11js.Pkcs11Error && e.code === pkcs11js.CKR_USER_ALREADY_LOGGED_IN) return
      if (e instanceof pkcs11js.Pkcs11Error && (e.code === pkcs11js.CKR_PIN_INCORRECT || e.code === pkcs11js.CKR_PIN_LOCKED)) {
        throw new Error(`${this.description}: login refused (${pkcs11ErrorName(e)}); check TRENT_PKCS11_PIN / TRENT_PKCS11_PIN_FILE`)
      }
      throw e
    }
  }

  /**
   * At open: the one key with the label, generated when there is none and `create` allows. Several keys under
   * the label are refused: which of them wrapped this data folder's keys cannot be told from the label.
   */
  private settleKey(session: Buffer, create: boolean): Buffer {
    const existing = this.findKeys(session, this.labelTemplate())
    if (existing.length > 1) throw this.ambiguous(existing.length)
    if (existing.length === 1) return this.requireFit(session, existing[0]!)
    if (!create) {
      throw new Error(`${this.description}: no key has this label, and the data folder already holds a database whose keys ` +
        'another root key wrapped; no new key was generated. Check TRENT_PKCS11_KEY_LABEL and the token.')
    }
    const created = this.generateKey(session)
    const others = this.findKeys(session, this.labelTemplate()).filter((k) => !k.equals(created))
    if (others.length === 0) return created
    // Another first start generated a key under the label at the same moment: keep its key, not a second one.
    this.module.C_DestroyObject(session, created)
    const left = this.findKeys(session, this.labelTemplate())
    if (left.length !== 1) throw this.ambiguous(left.length)
    return this.requireFit(session, left[0]!)
  }

  /** On reconnect: the very object settled on at open (same label and CKA_ID); never a fresh choice by label. */
  private keyById(session: Buffer): Buffer {
    const found = this.findKeys(session, [...this.labelTemplate(), { type: pkcs11js.CKA_ID, value: this.keyId }])
    if (found.length === 0) throw new RootKeyUnavailableError(`${this.description} is unavailable: the key p11:${this.keyId.toString('hex')} is no longer in the token`)
    if (found.length > 1) throw new Error(`${this.description}: several keys carry CKA_ID ${this.keyId.toString('hex')} under this label; remove the copies`)
    return found[0]!
  }

  private ambiguous(count: number): Error {
    return new Error(`${this.description}: ${count} keys carry this label; the root key must be exactly one ` +
      'key, so remove the extra ones (keep the one whose CKA_ID the data folder\'s blobs name, p11:<CKA_ID>)')
  }

  private generateKey(session: Buffer): Buffer {
    return this.module.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
      { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
      { type: pkcs11js.CKA_LABEL, value: this.config.keyLabel },
      { type: pkcs11js.CKA_ID, value: Buffer.from(randomPublic(idBytes)) },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_MODIFIABLE, value: false },
      { type: pkcs11js.CKA_ENCRYPT, value: true },
      { type: pkcs11js.CKA_DECRYPT, value: true },
      { type: pkcs11js.CKA_WRAP, value: false },
      { type: pkcs11js.CKA_UNWRAP, value: false },
      { type: pkcs11js.CKA_SIGN, value: false },
      { type: pkcs11js.CKA_VERIFY, value: false },
      { type: pkcs11js.CKA_DERIVE, value: false },
    ])
  }

  private labelTemplate(): pkcs11js.Template {
    return [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY }, { type: pkcs11js.CKA_LABEL, value: this.config.keyLabel }]
  }

  private findKeys(session: Buffer, template: pkcs11js.Template): Buffer[] {
    const m = this.module
    m.C_FindObjectsInit(session, template)
    try {
      return m.C_FindObjects(session, 16)
    } finally {
      m.C_FindObjectsFinal(session)
    }
  }

  private ckaId(session: Buffer, key: Buffer): Buffer {
    const [attr] = this.module.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_ID }])
    const value = attr?.value
    if (!Buffer.isBuffer(value) || value.length === 0) throw new Error(`${this.description}: the key has no CKA_ID; give it one`)
    return Buffer.from(value)
  }

  private requireFit(session: Buffer, key: Buffer): Buffer {
    const attrs = this.module.C_GetAttributeValue(session, key, [
      { type: pkcs11js.CKA_KEY_TYPE }, { type: pkcs11js.CKA_VALUE_LEN }, { type: pkcs11js.CKA_SENSITIVE }, { type: pkcs11js.CKA_EXTRACTABLE },
    ])
    const [type, length, sensitive, extractable] = attrs.map((a) => a.value)
    const asNumber = (v: unknown) => (Buffer.isBuffer(v) ? v.readUIntLE(0, Math.min(v.length, 6)) : Number(v))
    const asBool = (v: unknown) => (Buffer.isBuffer(v) ? v[0] === 1 : Boolean(v))
    if (asNumber(type) !== pkcs11js.CKK_AES || asNumber(length) !== 32 || !asBool(sensitive) || asBool(extractable)) {
      throw new Error(`${this.description}: the key must be a sensitive, non-extractable AES-256 key`)
    }
    return key
  }
}
