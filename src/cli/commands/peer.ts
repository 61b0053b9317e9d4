// `trent peer link|list|check`: the links between deployments that split a multi-Region set's Regions
// (docs/multi-region-peers-plan.md, "Peer links and auth"). `link` makes a fresh link credential and prints, once,
// the TRENT_PEERS entry each side configures; `list` shows the configured peers without their secrets; `check`
// asks each configured peer for its transport key (proving endpoint and credential both work).
import { parseArgs } from 'node:util'
import { generateAccessKeyId, generateSecretAccessKey } from '../../auth/credentials.js'
import { AdminError } from '../../auth/principal-admin.js'
import { ConfigError } from '../../config/config.js'
import { loadPeers, parsePeers, type PeerLink } from '../../config/peer-config.js'
import { peerClient } from '../../peers/peer-client.js'
import { printJson, required, verbWithSubcommands, type CliIo } from '../admin-args.js'

const USAGE = `usage:
  trent peer link  --region-a R --endpoint-a URL --region-b R --endpoint-b URL
  trent peer list  (reads TRENT_PEERS / TRENT_PEERS_FILE)
  trent peer check (calls GetTransportKey on every configured peer)
`

/** A configuration mistake, reported as a refusal (exit 1) rather than a crash. */
function refusingConfigErrors<T>(read: () => T): T {
  try {
    return read()
  } catch (e) {
    if (e instanceof ConfigError) throw new AdminError(e.message)
    throw e
  }
}

function configuredPeers(io: CliIo): PeerLink[] {
  return refusingConfigErrors(() => loadPeers(io.env, io.env.TRENT_ALLOW_OPEN_PERMISSIONS === 'true'))
}

export const peerCommand = verbWithSubcommands('peer', 'link deployments for multi-Region keys, list or check the links', USAGE, {
  async link(args, io) {
    const { values } = parseArgs({
      args, strict: true,
      options: { 'region-a': { type: 'string' }, 'endpoint-a': { type: 'string' }, 'region-b': { type: 'string' }, 'endpoint-b': { type: 'string' } },
    })
    const a = { region: required(values, 'region-a'), endpoint: required(values, 'endpoint-a') }
    const b = { region: required(values, 'region-b'), endpoint: required(values, 'endpoint-b') }
    if (a.region === b.region) throw new AdminError('--region-a and --region-b must differ')
    // One credential for the link, configured on both sides: each signs its calls with it and verifies the other's.
    const credential = { accessKeyId: generateAccessKeyId(), secretAccessKey: generateSecretAccessKey() }
    // Each side's entry names the OTHER side; parsed as TRENT_PEERS would be, so what is printed is accepted there.
    const forA = refusingConfigErrors(() => parsePeers(JSON.stringify([{ ...b, ...credential }])))
    const forB = refusingConfigErrors(() => parsePeers(JSON.stringify([{ ...a, ...credential }])))
    printJson(io, {
      Deployments: [{ Serves: a.region, TRENT_PEERS: forA }, { Serves: b.region, TRENT_PEERS: forB }],
      Note: 'Printed once: put each TRENT_PEERS value into that deployment\'s configuration (or TRENT_PEERS_FILE, mode 600). Both deployments need the same TRENT_ACCOUNT_ID.',
    })
    return 0
  },
  async list(args, io) {
    parseArgs({ args, strict: true, options: {} })
    printJson(io, { Peers: configuredPeers(io).map((p) => ({ Region: p.region, Endpoint: p.endpoint, AccessKeyId: p.accessKeyId })) })
    return 0
  },
  async check(args, io) {
    parseArgs({ args, strict: true, options: {} })
    const results = await Promise.all(configuredPeers(io).map(async (p) => {
      try {
        const key = await peerClient(p, { now: () => new Date() }).getTransportKey()
        return { Region: p.region, Endpoint: p.endpoint, Status: 'ok', TransportKeyId: key.transportKeyId }
      } catch (e) {
        return { Region: p.region, Endpoint: p.endpoint, Status: 'failed', Error: (e as Error).message }
      }
    }))
    printJson(io, { Peers: results })
    return results.every((r) => r.Status === 'ok') ? 0 : 1
  },
})
