// The stream plumbing around the ESDK's streams: the expected-context gate on decrypt, and the shield that
// keeps ESDK 5.0.2's encrypt stream from ever being destroyed (docs/integrations.md).
import { PassThrough, Readable, Transform, type Duplex } from 'node:stream'
import type { MessageHeader } from '@aws-crypto/client-node'
import { algorithmSuiteName } from './algorithm-suites.js'
import { toEnvelopeError } from './envelope-error.js'
import { JoinedDuplex } from './joined-duplex.js'
import { copyContext, requireExpectedContext, type EncryptionContext } from './message-checks.js'

/** What a message says about itself: its context, the key ARNs that wrapped its data key, its suite. */
export interface MessageInfo {
  context: Record<string, string>
  keyIds: string[]
  algorithm: string
}

/** `source` piped into `through`, with an error of `source` destroying `through` (pipe() alone drops it). */
export function fed(source: Readable, through: Duplex): Duplex {
  source.once('error', (e: Error) => through.destroy(e))
  return source.pipe(through)
}

export function messageInfo(header: MessageHeader): MessageInfo {
  return {
    context: copyContext(header.encryptionContext),
    keyIds: header.encryptedDataKeys.filter((k) => k.providerId === 'aws-kms').map((k) => k.providerInfo),
    algorithm: algorithmSuiteName(header.suiteId),
  }
}

/**
 * `head` piped into the ESDK stream piped into `tail`, as one duplex (write to head, read from tail). The ESDK
 * stream itself is never destroyed: in @aws-crypto 5.0.2 destroying an encrypt stream makes its internal
 * pipeline rethrow "Premature close" as an uncaught exception. On any failure head and tail are destroyed and
 * the ESDK stream is only cut off (pipe() never destroys its destination) and left to the garbage collector.
 * Its errors, late ones included, become EnvelopeErrors on the whole.
 */
export function shield(head: Duplex, esdkStream: Duplex, tail: Duplex, doing: 'encrypt' | 'decrypt'): Duplex {
  head.pipe(esdkStream).pipe(tail)
  const outer = new JoinedDuplex(head, tail)
  const fail = (e: unknown) => outer.destroy(e instanceof RangeError ? e : toEnvelopeError(e, doing))
  esdkStream.on('error', fail)
  head.on('error', fail)
  tail.on('error', fail)
  outer.once('close', () => head.unpipe(esdkStream))
  return outer
}

/**
 * The ESDK's decrypt stream behind a gate: the header is checked against `expected` when the ESDK reports
 * it, which is before any plaintext exists; a chunk reaching the gate before a passed check is refused.
 */
export function checkedDecryptStream(esdkStream: Duplex, expected: EncryptionContext | undefined): Duplex {
  let passed = false
  const gate = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!passed) return done(new Error('plaintext arrived before the message header was checked'))
      done(null, chunk)
    },
  })
  const outer = shield(new PassThrough(), esdkStream, gate, 'decrypt')
  esdkStream.once('MessageHeader', (header: MessageHeader) => {
    try {
      const info = messageInfo(header)
      requireExpectedContext(info.context, expected)
      passed = true
      outer.emit('message', info)
    } catch (e) {
      outer.destroy(e as Error)
    }
  })
  return outer
}
