// IP addresses and CIDR blocks (IPv4 and IPv6) for the IpAddress and NotIpAddress operators.
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, as node reports IPv4 peers on dual-stack sockets) count as IPv4.
import { isIPv4, isIPv6 } from 'node:net'

export interface IpBlock {
  version: 4 | 6
  /** The network address with host bits cleared. */
  network: bigint
  prefix: number
}

interface ParsedIp {
  version: 4 | 6
  value: bigint
}

function parseIpv4(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n)
}

function parseIpv6(text: string): bigint {
  let head = text
  let tail = ''
  const dotted = text.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/)
  if (dotted) {
    const v4 = parseIpv4(dotted[2]!)
    head = dotted[1]!
    tail = `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`
  }
  const full = head + tail
  const [left = '', right] = full.split('::')
  const leftGroups = left === '' ? [] : left.split(':')
  const rightGroups = right === undefined || right === '' ? [] : right.split(':')
  const missing = 8 - leftGroups.length - rightGroups.length
  const groups = right === undefined ? leftGroups : [...leftGroups, ...Array<string>(missing).fill('0'), ...rightGroups]
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n)
}

/** Parses an address; undefined when it is not a valid IPv4 or IPv6 address. */
export function parseIp(text: string): ParsedIp | undefined {
  if (isIPv4(text)) return { version: 4, value: parseIpv4(text) }
  // node accepts a zone id (`fe80::1%eth0`), which a policy's address never has; parseInt would misread it.
  if (!isIPv6(text) || text.includes('%')) return undefined
  const value = parseIpv6(text)
  if (value >> 32n === 0xffffn) return { version: 4, value: value & 0xffffffffn }
  return { version: 6, value }
}

/** Parses `a.b.c.d/n`, `x::y/n` or a bare address (a /32 or /128 block); undefined when malformed. */
export function parseIpBlock(text: string): IpBlock | undefined {
  const slash = text.indexOf('/')
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash))
  if (!ip) return undefined
  const width = ip.version === 4 ? 32 : 128
  let prefix = width
  if (slash >= 0) {
    const bits = text.slice(slash + 1)
    if (!/^\d{1,3}$/.test(bits)) return undefined
    prefix = Number(bits)
    // An IPv4-mapped block is written against 128 bits; re-base it onto the IPv4 address.
    if (ip.version === 4 && !isIPv4(text.slice(0, slash))) prefix -= 96
    if (prefix < 0 || prefix > width) return undefined
  }
  return { version: ip.version, network: ip.value & mask(width, prefix), prefix }
}

function mask(width: number, prefix: number): bigint {
  const all = (1n << BigInt(width)) - 1n
  return prefix === 0 ? 0n : (all >> BigInt(width - prefix)) << BigInt(width - prefix)
}

/** True when `address` lies inside `block`. Addresses of the other IP version never match. */
export function ipInBlock(address: string, block: IpBlock): boolean {
  // A link-local peer may carry its zone (`fe80::1%eth0`); the address is what the block is about.
  const ip = parseIp(address.replace(/%.*$/s, ''))
  if (!ip || ip.version !== block.version) return false
  const width = ip.version === 4 ? 32 : 128
  return (ip.value & mask(width, block.prefix)) === block.network
}
