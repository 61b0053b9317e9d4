// RSA signature encodings over a digest the caller already computed (RFC 8017 §9.1 EMSA-PSS with
// MGF1 and salt length = hash length, §9.2 EMSA-PKCS1-v1_5). node:crypto only signs messages it hashes
// itself, so DIGEST signing encodes here and applies the raw RSA primitive (RSASP1/RSAVP1) from OpenSSL.
import { createHash, timingSafeEqual } from 'node:crypto'
import { hashBytes, type HashName } from './schemes.js'

type SigningHash = Exclude<HashName, 'sha1'>

/** DER of DigestInfo up to the digest itself (RFC 8017 §9.2, note 1). */
const digestInfoPrefix: Record<SigningHash, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
}

function checkDigest(hash: HashName, digest: Uint8Array): void {
  if (digest.length !== hashBytes[hash]) throw new RangeError(`digest must be ${hashBytes[hash]} bytes for ${hash}`)
}

/** MGF1 (RFC 8017 §B.2.1). */
export function mgf1(hash: HashName, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length)
  const counter = new Uint8Array(4)
  for (let offset = 0, i = 0; offset < length; i++, offset += hashBytes[hash]) {
    new DataView(counter.buffer).setUint32(0, i)
    const block = createHash(hash).update(seed).update(counter).digest()
    out.set(block.subarray(0, Math.min(block.length, length - offset)), offset)
  }
  return out
}

/** EMSA-PKCS1-v1_5 encoding of a digest, `k` bytes long (k = modulus bytes). Throws RangeError. */
export function pkcs1v15Encode(hash: SigningHash, digest: Uint8Array, k: number): Uint8Array {
  checkDigest(hash, digest)
  const t = Buffer.concat([Buffer.from(digestInfoPrefix[hash], 'hex'), digest])
  if (k < t.length + 11) throw new RangeError('modulus too short for this digest')
  const em = new Uint8Array(k).fill(0xff)
  em[0] = 0x00
  em[1] = 0x01
  em[k - t.length - 1] = 0x00
  em.set(t, k - t.length)
  return em
}

function pssMPrimeHash(hash: HashName, digest: Uint8Array, salt: Uint8Array): Buffer {
  return createHash(hash).update(new Uint8Array(8)).update(digest).update(salt).digest()
}

/**
 * EMSA-PSS encoding of a digest for a modulus of `modBits` bits, left-padded with zeros to `k` bytes so
 * it can go straight to the raw RSA primitive. Salt length = hash length. Throws RangeError.
 */
export function pssEncode(hash: SigningHash, digest: Uint8Array, modBits: number, salt: Uint8Array): Uint8Array {
  checkDigest(hash, digest)
  const hLen = hashBytes[hash]
  if (salt.length !== hLen) throw new RangeError('PSS salt must be as long as the hash')
  const emBits = modBits - 1
  const emLen = Math.ceil(emBits / 8)
  if (emLen < 2 * hLen + 2) throw new RangeError('modulus too short for PSS with this hash')
  const h = pssMPrimeHash(hash, digest, salt)
  const db = new Uint8Array(emLen - hLen - 1)
  db[db.length - hLen - 1] = 0x01
  db.set(salt, db.length - hLen)
  const mask = mgf1(hash, h, db.length)
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i]!
  db[0] &= 0xff >> (8 * emLen - emBits)
  const k = Math.ceil(modBits / 8)
  const em = new Uint8Array(k)
  em.set(db, k - emLen)
  em.set(h, k - emLen + db.length)
  em[k - 1] = 0xbc
  return em
}

/** EMSA-PSS verification (RFC 8017 §9.1.2) of `em` (k bytes, as RSAVP1 returns it) against a digest. */
export function pssMatches(hash: SigningHash, digest: Uint8Array, em: Uint8Array, modBits: number): boolean {
  checkDigest(hash, digest)
  const hLen = hashBytes[hash]
  const emBits = modBits - 1
  const emLen = Math.ceil(emBits / 8)
  const k = Math.ceil(modBits / 8)
  if (em.length !== k || emLen < 2 * hLen + 2) return false
  if (k > emLen && em[0] !== 0) return false
  const encoded = em.subarray(k - emLen)
  if (encoded[emLen - 1] !== 0xbc) return false
  const topBits = 0xff >> (8 * emLen - emBits)
  if ((encoded[0]! & ~topBits) !== 0) return false
  const h = encoded.subarray(emLen - hLen - 1, emLen - 1)
  const db = mgf1(hash, h, emLen - hLen - 1)
  for (let i = 0; i < db.length; i++) db[i] ^= encoded[i]!
  db[0] &= topBits
  const separator = db.length - hLen - 1
  for (let i = 0; i < separator; i++) if (db[i] !== 0) return false
  if (db[separator] !== 0x01) return false
  const expected = pssMPrimeHash(hash, digest, db.subarray(separator + 1))
  return timingSafeEqual(expected, h)
}
