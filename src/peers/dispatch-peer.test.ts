// The peer service through the real pipeline: link-credential SigV4 only, strict bodies, every call audited.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { ChainedAuditRecord } from '../audit/record.js'
import { dispatch } from '../http/dispatch.js'
import { TEST_CREDENTIALS, signedDispatch } from '../../test/support/harness.js'
import { PEER_LINK, createPeerHarness, type PeerHarness } from './peer.test-support.js'
import { transportKeyId } from './transport-wrap.js'
import { PEER_TARGET_PREFIX } from './wire.js'

async function lastRecord(h: PeerHarness): Promise<ChainedAuditRecord> {
  const rows = await h.services.store.listAudit(0, 1000)
  return rows.at(-1)!.record
}

function assertError(res: { status: number; body: Record<string, unknown> }, type: string, message?: string | RegExp): void {
  assert.equal(res.status, 400, JSON.stringify(res.body))
  assert.equal(res.body.__type, type)
  if (typeof message === 'string') assert.equal(res.body.message, message)
  else if (message) assert.match(String(res.body.message), message)
}

describe('peer service', () => {
  let h: PeerHarness
  beforeEach(async () => {
    h = await createPeerHarness()
  })
  afterEach(() => h.close())

  it('GetTransportKey returns the transport public key, the same each time, and audits the call as the peer', async () => {
    const res = await h.peer('GetTransportKey', {})
    assert.equal(res.status, 200, JSON.stringify(res.body))
    const der = Buffer.from(String(res.body.publicKey), 'base64')
    assert.equal(res.body.transportKeyId, transportKeyId(der))
    assert.deepEqual((await h.peer('GetTransportKey', {})).body, res.body)
    const record = await lastRecord(h)
    assert.equal(record.eventSource, 'trent-peer')
    assert.equal(record.eventName, 'GetTransportKey')
    assert.equal(record.awsRegion, 'eu-west-1')
    assert.equal(record.readOnly, true)
    assert.equal(record.userIdentity?.userName, PEER_LINK.region)
    assert.equal(record.userIdentity?.accessKeyId, PEER_LINK.accessKeyId)
    assert.deepEqual(record.responseElements, { transportKeyId: res.body.transportKeyId })
    assert.ok(!JSON.stringify(record).includes(PEER_LINK.secretAccessKey))
  })

  it('refuses an ordinary access key on the peer service, and the link credential on KMS and CloudTrail', async () => {
    const ordinary = await h.peer('GetTransportKey', {}, { credentials: TEST_CREDENTIALS })
    assertError(ordinary, 'UnrecognizedClientException', 'The security token included in the request is invalid.')
    const record = await lastRecord(h)
    assert.equal(record.eventSource, 'trent-peer')
    assert.equal(record.errorCode, 'UnrecognizedClientException')
    assert.equal(record.userIdentity, undefined)
    assertError(await h.call('ListKeys', {}, PEER_LINK), 'UnrecognizedClientException', 'The security token included in the request is invalid.')
    assert.equal((await h.call('ListKeys', {})).status, 200, 'the ordinary key still works on KMS')
    const lookup = await signedDispatch(h.services, {
      service: 'cloudtrail', target: 'CloudTrail_20131101.LookupEvents', body: new TextEncoder().encode('{}'), credentials: PEER_LINK, now: h.clock.now(), requestId: 'ct',
    })
    assertError(lookup, 'UnrecognizedClientException', 'The security token included in the request is invalid.')
  })

  it('gives the SigV4 errors the KMS service gives: wrong service, unserved Region, unsigned', async () => {
    assertError(await h.peer('GetTransportKey', {}, { service: 'kms' }), 'InvalidSignatureException', "Credential should be scoped to correct service: 'trent-peer'. ")
    // The peer's own Region is not one this deployment serves.
    assertError(await h.peer('GetTransportKey', {}, { region: PEER_LINK.region }), 'InvalidSignatureException', 'Credential should be scoped to a valid region. ')
    const wrongSecret = { accessKeyId: PEER_LINK.accessKeyId, secretAccessKey: 'not-the-link-secret-0123456789-0123456789' }
    assertError(await h.peer('GetTransportKey', {}, { credentials: wrongSecret }), 'InvalidSignatureException', /does not match/)
    const raw = await dispatch(h.services, {
      method: 'POST', url: '/', headers: { host: 'localhost', 'x-amz-target': `${PEER_TARGET_PREFIX}GetTransportKey` }, body: new Uint8Array(), sourceIp: '127.0.0.1', requestId: 'unsigned',
    })
    assert.equal(raw.status, 400)
    assert.equal(JSON.parse(raw.body).__type, 'MissingAuthenticationTokenException')
    assert.equal((await lastRecord(h)).eventSource, 'trent-peer')
  })

  it('refuses unknown operations and malformed bodies with 400, never 500', async () => {
    assertError(await h.peer('DeleteEverything', {}), 'UnknownOperationException')
    assert.equal((await lastRecord(h)).eventName, 'Unknown')
    assertError(await h.peer('GetTransportKey', { extra: 1 }), 'ValidationException', /input\.extra/)
    assertError(await h.peer('GetTransportKey', undefined, { raw: '{not json' }), 'SerializationException')
    assertError(await h.peer('GetTransportKey', undefined, { raw: '[1]' }), 'SerializationException')
  })
})
