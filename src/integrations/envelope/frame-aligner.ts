// Cuts a plaintext stream into chunks of exactly one ESDK frame (the last may be shorter) and enforces a
// declared plaintext length before the bytes reach the ESDK. The ESDK 5.0.2 framed encrypt stream counts
// the tail of a chunk that spans two frames twice against plaintextLength, and the error it then raises
// escapes its internal pipeline uncaught (the process dies); with frame-sized chunks there is no tail.
import { Transform } from 'node:stream'

/** Throws RangeError from the stream when more or fewer than `plaintextLength` bytes arrive. */
export function frameAligner(frameLength: number, plaintextLength: number | undefined): Transform {
  let pending: Buffer[] = []
  let pendingBytes = 0
  let total = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length
      if (plaintextLength !== undefined && total > plaintextLength) return done(new RangeError(`the input is longer than its declared ${plaintextLength} bytes`))
      pending.push(chunk)
      pendingBytes += chunk.length
      if (pendingBytes < frameLength) return done()
      const all = Buffer.concat(pending, pendingBytes)
      let offset = 0
      for (; offset + frameLength <= all.length; offset += frameLength) this.push(all.subarray(offset, offset + frameLength))
      pending = offset < all.length ? [all.subarray(offset)] : []
      pendingBytes = all.length - offset
      done()
    },
    flush(done) {
      if (plaintextLength !== undefined && total !== plaintextLength) return done(new RangeError(`the input is shorter than its declared ${plaintextLength} bytes`))
      if (pendingBytes > 0) this.push(Buffer.concat(pending, pendingBytes))
      done()
    },
  })
}
