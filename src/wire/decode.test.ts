// decodeInput(): every constraint type with AWS's wording, type mismatches, base64, and which values are echoed.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decodeInput } from './decode.js'
import { KmsError } from './kms-error.js'
import { MAX_ECHO_CHARS } from './messages.js'

function rejects(shape: string, body: unknown, name: string, message: string): void {
  assert.throws(() => decodeInput(shape, body), (e: unknown) => {
    assert.ok(e instanceof KmsError, String(e))
    assert.equal(e.name, name)
    assert.equal(e.message, message)
    return true
  })
}

const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab'
const one = (detail: string) => `1 validation error detected: ${detail}`

describe('decodeInput() constraints', () => {
  it('reports a missing required member as null', () => {
    rejects('DescribeKeyRequest', {}, 'ValidationException', one("Value null at 'keyId' failed to satisfy constraint: Member must not be null"))
  })

  it('treats an explicit JSON null as missing', () => {
    rejects('DescribeKeyRequest', { KeyId: null }, 'ValidationException', one("Value null at 'keyId' failed to satisfy constraint: Member must not be null"))
  })

  it('checks string length bounds', () => {
    rejects('DescribeKeyRequest', { KeyId: '' }, 'ValidationException', one("Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1"))
    rejects('UpdateKeyDescriptionRequest', { KeyId: KEY, Description: 'd'.repeat(8193) }, 'ValidationException',
      one(`Value '${'d'.repeat(1024)}...' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192`))
    assert.equal(decodeInput('UpdateKeyDescriptionRequest', { KeyId: KEY, Description: 'd'.repeat(8192) }).Description, 'd'.repeat(8192))
  })

  it('checks blob length bounds on the decoded bytes', () => {
    rejects('EncryptRequest', { KeyId: KEY, Plaintext: '' }, 'ValidationException', one("Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1"))
    rejects('EncryptRequest', { KeyId: KEY, Plaintext: Buffer.alloc(4097).toString('base64') }, 'ValidationException',
      one("Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096"))
    const ok = decodeInput('EncryptRequest', { KeyId: KEY, Plaintext: Buffer.alloc(4096, 1).toString('base64') })
    assert.ok(ok.Plaintext instanceof Uint8Array)
    assert.equal((ok.Plaintext as Uint8Array).length, 4096)
  })

  it('checks list length bounds', () => {
    rejects('DescribeKeyRequest', { KeyId: KEY, GrantTokens: Array.from({ length: 11 }, () => 't') }, 'ValidationException',
      one("Value at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10"))
  })

  it('checks integer ranges', () => {
    rejects('GenerateRandomRequest', { NumberOfBytes: 0 }, 'ValidationException', one("Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1"))
    rejects('GenerateRandomRequest', { NumberOfBytes: 1025 }, 'ValidationException', one("Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024"))
    assert.deepEqual(decodeInput('GenerateRandomRequest', { NumberOfBytes: 1024 }), { NumberOfBytes: 1024 })
  })

  it('checks enums and lists the allowed values', () => {
    rejects('GenerateDataKeyRequest', { KeyId: KEY, KeySpec: 'AES_512' }, 'ValidationException',
      one("Value 'AES_512' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]"))
  })

  it('checks patterns against the whole value', () => {
    rejects('DeleteAliasRequest', { AliasName: 'alias/has space' }, 'ValidationException',
      one("Value 'alias/has space' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$"))
    rejects('GetKeyPolicyRequest', { KeyId: KEY, PolicyName: 'de-fault' }, 'ValidationException',
      one("Value 'de-fault' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+"))
  })

  it('reports several violations in member order', () => {
    rejects('CreateAliasRequest', {}, 'ValidationException',
      "2 validation errors detected: Value null at 'aliasName' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'targetKeyId' failed to satisfy constraint: Member must not be null")
  })

  it('names nested list members with their 1-based index', () => {
    rejects('TagResourceRequest', { KeyId: KEY, Tags: [{ TagKey: 'a', TagValue: 'b' }, { TagKey: 'k'.repeat(129), TagValue: '' }] }, 'ValidationException',
      one(`Value '${'k'.repeat(129)}' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`))
    rejects('TagResourceRequest', { KeyId: KEY, Tags: [{ TagKey: 'a' }] }, 'ValidationException',
      one("Value null at 'tags.1.member.tagValue' failed to satisfy constraint: Member must not be null"))
  })

  it('never echoes a blob or a member the model marks sensitive', () => {
    const secret = 'S3CRET-VALUE'
    const cases: [string, unknown][] = [
      ['EncryptRequest', { KeyId: KEY, Plaintext: Buffer.from(secret.repeat(400)).toString('base64') }],
      ['EncryptRequest', { KeyId: KEY, Plaintext: `${secret}!` }],
      ['DecryptRequest', { CiphertextBlob: Buffer.from(secret.repeat(600)).toString('base64') }],
      ['CreateCustomKeyStoreRequest', { CustomKeyStoreName: 'n', KeyStorePassword: secret.repeat(3) }],
      ['EncryptRequest', { KeyId: secret.length, Plaintext: 'AA==' }],
    ]
    for (const [shape, body] of cases) {
      assert.throws(() => decodeInput(shape, body), (e: unknown) => e instanceof KmsError && !e.message.includes('S3CRET'))
    }
  })

  it('echoes a non-sensitive string as AWS does, in the value AWS quotes', () => {
    rejects('CreateCustomKeyStoreRequest', { CustomKeyStoreName: 'n', KeyStorePassword: 'short' }, 'ValidationException',
      one("Value at 'keyStorePassword' failed to satisfy constraint: Member must have length greater than or equal to 7"))
    rejects('GenerateDataKeyRequest', { KeyId: KEY, KeySpec: 'AES_999' }, 'ValidationException',
      one("Value 'AES_999' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]"))
  })

  it('bounds an echoed value and writes control and bidi characters as escapes', () => {
    rejects('DeleteAliasRequest', { AliasName: 'alias/a\u001b[31m\nb\u202e' }, 'ValidationException',
      one("Value 'alias/a\\u001b[31m\\u000ab\\u202e' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$"))
    rejects('UpdateKeyDescriptionRequest', { KeyId: KEY, Description: '\u{1F600}'.repeat(9000) }, 'ValidationException',
      one(`Value '${'\u{1F600}'.repeat(MAX_ECHO_CHARS)}...' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192`))
  })
})

describe('decodeInput() types', () => {
  it('turns wrong JSON types into SerializationException', () => {
    rejects('DescribeKeyRequest', { KeyId: 5 }, 'SerializationException', 'NUMBER_VALUE can not be converted to a String')
    rejects('DescribeKeyRequest', { KeyId: ['x'] }, 'SerializationException', 'START_ARRAY can not be converted to a String')
    rejects('GenerateRandomRequest', { NumberOfBytes: '16' }, 'SerializationException', 'STRING_VALUE can not be converted to an Integer')
    rejects('GenerateRandomRequest', { NumberOfBytes: 1.5 }, 'SerializationException', 'NUMBER_VALUE can not be converted to an Integer')
    rejects('EncryptRequest', { KeyId: KEY, Plaintext: 'AA==', DryRun: 'true' }, 'SerializationException', 'STRING_VALUE can not be converted to a Boolean')
    rejects('EncryptRequest', { KeyId: KEY, Plaintext: 12 }, 'SerializationException', 'NUMBER_VALUE can not be converted to a ByteBuffer')
    rejects('TagResourceRequest', { KeyId: KEY, Tags: {} }, 'SerializationException', 'START_OBJECT can not be converted to a List')
    rejects('TagResourceRequest', { KeyId: KEY, Tags: ['a'] }, 'SerializationException', 'STRING_VALUE can not be converted to a Structure')
    rejects('EncryptRequest', { KeyId: KEY, Plaintext: 'AA==', EncryptionContext: [] }, 'SerializationException', 'START_ARRAY can not be converted to a Map')
    rejects('EncryptRequest', { KeyId: KEY, Plaintext: 'AA==', EncryptionContext: { a: 1 } }, 'SerializationException', 'NUMBER_VALUE can not be converted to a String')
    rejects('EncryptRequest', [], 'SerializationException', 'START_ARRAY can not be converted to a Structure')
    rejects('ImportKeyMaterialRequest', { KeyId: KEY, ImportToken: 'AA==', EncryptedKeyMaterial: 'AA==', ValidTo: 'tomorrow' }, 'SerializationException',
      'STRING_VALUE can not be converted to a Date')
  })

  it('rejects epoch seconds that no Date can hold, rather than passing an Invalid Date on', () => {
    for (const seconds of [1e20, -8.7e12]) {
      rejects('ImportKeyMaterialRequest', { KeyId: KEY, ImportToken: 'AA==', EncryptedKeyMaterial: 'AA==', ValidTo: seconds }, 'SerializationException',
        'NUMBER_VALUE can not be converted to a Date')
    }
  })

  it('rejects invalid base64 with SerializationException', () => {
    for (const bad of ['@@@@', 'AAA', 'A===', 'QUJD\nRA==', 'QUJDRA']) {
      rejects('EncryptRequest', { KeyId: KEY, Plaintext: bad }, 'SerializationException', "Base64 encoded value at 'plaintext' is not valid")
    }
  })

  it('decodes blobs, timestamps and maps and drops members the model does not have', () => {
    const input = decodeInput('EncryptRequest', { KeyId: KEY, Plaintext: 'aGk=', EncryptionContext: { b: '2', a: '1' }, Bogus: 1 })
    assert.deepEqual(input, { KeyId: KEY, Plaintext: new Uint8Array(Buffer.from('hi')), EncryptionContext: { b: '2', a: '1' } })
    const imported = decodeInput('ImportKeyMaterialRequest', { KeyId: KEY, ImportToken: 'AA==', EncryptedKeyMaterial: 'AA==', ValidTo: 1607472987.918 })
    assert.deepEqual(imported.ValidTo, new Date(1607472987918))
  })

  it('keeps a "__proto__" context key as plain data', () => {
    const input = decodeInput('EncryptRequest', JSON.parse(`{"KeyId":"${KEY}","Plaintext":"AA==","EncryptionContext":{"__proto__":"x"}}`))
    const ctx = input.EncryptionContext as Record<string, string>
    assert.equal(Object.getPrototypeOf(ctx), Object.prototype)
    assert.deepEqual(Object.entries(ctx), [['__proto__', 'x']])
  })

  it('returns {} for operations without input', () => {
    assert.deepEqual(decodeInput(null, { anything: 1 }), {})
  })
})
