// What an AWS KMS customer does around ImportKeyMaterial, done with node:crypto: ask for parameters, wrap
// material under the returned public key as AWS documents each wrapping algorithm, and import it.
import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto'
import { aesKeyWrapPadded } from '../../src/crypto/import-wrapping.js'
import { b64, unb64, type Harness } from './harness.js'
import { ok } from './kms-fixtures.js'

export type WrappingAlgorithm = 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'RSA_AES_KEY_WRAP_SHA_1' | 'RSA_AES_KEY_WRAP_SHA_256'

export interface ImportParameters {
  importToken: string
  publicKey: Buffer
  parametersValidTo: number
  algorithm: WrappingAlgorithm
}

export async function getImportParameters(h: Harness, keyId: string, algorithm: WrappingAlgorithm = 'RSAES_OAEP_SHA_256', spec = 'RSA_2048'): Promise<ImportParameters> {
  const res = await ok(h, 'GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: spec })
  return { importToken: res.ImportToken as string, publicKey: unb64(res.PublicKey), parametersValidTo: res.ParametersValidTo as number, algorithm }
}

/** EncryptedKeyMaterial as AWS's import guide makes it for `algorithm`. */
export function wrapForImport(publicKeyDer: Buffer, algorithm: WrappingAlgorithm, material: Uint8Array): Buffer {
  const key = createPublicKey({ key: publicKeyDer, format: 'der', type: 'spki' })
  const oaepHash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256'
  const oaep = (data: Uint8Array) => publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data)
  if (algorithm.startsWith('RSAES_OAEP')) return oaep(material)
  const aesKey = randomBytes(32)
  return Buffer.concat([oaep(aesKey), aesKeyWrapPadded(aesKey, material)])
}

export interface ImportOptions {
  algorithm?: WrappingAlgorithm
  spec?: string
  /** Extra ImportKeyMaterial members (ExpirationModel, ValidTo, ImportType, …); DOES_NOT_EXPIRE by default. */
  extra?: Record<string, unknown>
}

/** The raw ImportKeyMaterial result for `material` under fresh parameters. */
export async function callImport(h: Harness, keyId: string, material: Uint8Array, options: ImportOptions = {}) {
  const params = await getImportParameters(h, keyId, options.algorithm, options.spec)
  return h.call('ImportKeyMaterial', {
    KeyId: keyId, ImportToken: params.importToken, EncryptedKeyMaterial: b64(wrapForImport(params.publicKey, params.algorithm, material)),
    ...(options.extra ?? { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
  })
}

/** Imports `material` and returns the KeyMaterialId; fails the test on any error. */
export async function importMaterial(h: Harness, keyId: string, material: Uint8Array, options: ImportOptions = {}): Promise<string> {
  const res = await callImport(h, keyId, material, options)
  if (res.status !== 200) throw new Error(`ImportKeyMaterial failed: ${JSON.stringify(res.body)}`)
  return res.body.KeyMaterialId as string
}
