// `trent decrypt`: opens an AWS Encryption SDK message from a file or stdin, with the data key decrypted by
// KMS (Trent) through the public API, and refuses messages whose context lacks an expected pair.
import type { CliCommand } from '../command.js'
import { keyValues } from '../admin-args.js'
import { envelopeFor, parseVerbArgs, processStdio, runThrough, runVerb, type CliStdio } from '../envelope/envelope-run.js'

const usage = `usage: trent decrypt [--expect-context k=v …] [--key-id ARN …] --in FILE|- --out FILE|-
       trent decrypt … --in FILE --in FILE2 … --out DIR      (DIR/<name without .encrypted>, or <name>.decrypted)
  [--max-encrypted-data-keys N] [--endpoint-url URL] [--region R] [--no-progress]
Refuses a message whose encryption context lacks or differs from any --expect-context pair. With --key-id only those
key ARNs may decrypt the data key; without it, the keys the message names are asked (discovery). A file --out appears
only when the whole message decrypted and verified; with --out - plaintext is streamed and an error at the end (a
failed signature) exits 1 after some output was written.
`

const options = {
  'expect-context': { type: 'string', multiple: true },
  'key-id': { type: 'string', multiple: true },
} as const

function decryptedName(name: string): string {
  return name.endsWith('.encrypted') && name.length > '.encrypted'.length ? name.slice(0, -'.encrypted'.length) : `${name}.decrypted`
}

export async function runDecrypt(args: string[], io: CliStdio): Promise<number> {
  return runVerb('decrypt', usage, io, async () => {
    const values = parseVerbArgs(args, options)
    if (values.help === true) return void io.stderr.write(usage)
    const expectContext = keyValues(values['expect-context'] as string[] | undefined, '--expect-context')
    const keyIds = values['key-id'] as string[] | undefined
    const envelope = envelopeFor(values)
    await runThrough(io, values, 'decrypting', decryptedName, () => envelope.decryptStream({ keyIds, expectContext: { ...expectContext } }))
  })
}

export const decryptCommand: CliCommand = {
  name: 'decrypt',
  summary: 'decrypt an AWS Encryption SDK message from a file or stdin',
  run: (args) => runDecrypt(args, processStdio()),
}
