// Transport wrapping: material opens only with the receiver's private key, for the binding it was sealed for.
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { TransportUnwrapError, transportKeyId, unwrapFromTransport, wrapForTransport } from './transport-wrap.js'

const pair = () => generateKeyPairSync('rsa', { modulusLength: 3072 })
const receiver = pair()
const spki = receiver.publicKey.export({ format: 'der', type: 'spki' })
const ownId = transportKeyId(spki)
const binding = { keyId: 'mrk-0123456789abcdef0123456789abcdef', version: 2, receiverRegion: 'eu-west-1' }

describe('transport wrap', () => {
  it('round-trips material for the receiver, and the message holds no plaintext', () => {
    const material = randomBytes(32)
    const wrapped = wrapForTransport(material, spki, binding)
    assert.equal(wrapped.transportKeyId, ownId)
    assert.ok(!JSON.stringify(wrapped).includes(material.toString('base64')))
    assert.ok(!Buffer.from(wrapped.sealed, 'base64').includes(material))
    assert.deepEqual(Buffer.from(unwrapFromTransport(wrapped, receiver.privateKey, ownId, binding)), material)
  })

  it('refuses another binding, another private key, another transport key id and altered bytes', () => {
    const wrapped = wrapForTransport(randomBytes(32), spki, binding)
    for (const other of [{ ...binding, version: 3 }, { ...binding, keyId: 'mrk-ffffffffffffffffffffffffffffffff' }, { ...binding, receiverRegion: 'us-east-1' }]) {
      assert.throws(() => unwrapFromTransport(wrapped, receiver.privateKey, ownId, other), TransportUnwrapError)
    }
    assert.throws(() => unwrapFromTransport(wrapped, pair().privateKey, ownId, binding), TransportUnwrapError)
    assert.throws(() => unwrapFromTransport(wrapped, receiver.privateKey, 'f'.repeat(64), binding), TransportUnwrapError)
    const sealed = Buffer.from(wrapped.sealed, 'base64')
    sealed[sealed.length - 1] ^= 1
    assert.throws(() => unwrapFromTransport({ ...wrapped, sealed: sealed.toString('base64') }, receiver.privateKey, ownId, binding), TransportUnwrapError)
    assert.throws(() => unwrapFromTransport({ ...wrapped, sealed: '' }, receiver.privateKey, ownId, binding), TransportUnwrapError)
  })

  it('refuses to seal for a weak or non-RSA transport key', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'der', type: 'spki' })
    assert.throws(() => wrapForTransport(randomBytes(32), small, binding), TransportUnwrapError)
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' })
    assert.throws(() => wrapForTransport(randomBytes(32), ec, binding), TransportUnwrapError)
  })
})
