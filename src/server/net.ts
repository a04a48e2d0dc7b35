/**
 * Client addresses: which one to believe, how little of it to keep, and the flood key derived from it (flood control
 * itself is decided by the store, so that it holds across processes).
 * @module
 */
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** Parses an IPv6 address into its eight 16-bit groups (zone id dropped, embedded IPv4 tail allowed). */
function ipv6Groups(address: string): number[] | null {
  let s = address.split('%')[0];
  const v4Tail = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4Tail) {
    const [a, b, c, d] = v4Tail.slice(2).map(Number) as [number, number, number, number];
    s = `${v4Tail[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 ? (halves[1] ? halves[1].split(':') : []) : null;
  const fill = tail === null ? 0 : 8 - head.length - tail.length;
  if (fill < 0 || (tail !== null && fill === 0)) return null;
  const groups = [...head, ...Array<string>(fill).fill('0'), ...(tail ?? [])];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

/**
 * The canonical form of a client address: IPv4 as dotted quad (an IPv4-mapped IPv6 address included), IPv6 as
 * eight lower-case groups. Returns null for anything that is not an address, so a forged header cannot become a key.
 */
export function normalizeIp(address: string | undefined | null): string | null {
  if (!address) return null;
  const a = address.trim();
  const family = isIP(a);
  if (family === 4) return a;
  const g = family === 6 ? ipv6Groups(a) : null;
  if (!g) return null;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return `${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`;
  }
  return g.map((x) => x.toString(16)).join(':');
}

/**
 * What may be stored of an address: its /24 (IPv4) or /48 (IPv6) network, enough to spot a flood from one
 * network afterwards, too little to name a household.
 */
export function truncateIp(address: string | undefined | null): string | null {
  const ip = normalizeIp(address);
  if (!ip) return null;
  if (isIP(ip) === 4) return ip.replace(/\.\d+$/, '.0');
  return `${ip.split(':').slice(0, 3).join(':')}::`;
}

/**
 * The key a client is rate-limited on: the full IPv4 address, or the /64 of an IPv6 one (a single host usually
 * owns a whole /64 and can hop between its addresses at will).
 */
export function floodKeyForIp(address: string): string {
  return isIP(address) === 6 ? `${address.split(':').slice(0, 4).join(':')}::/64` : address;
}

/**
 * The client's address. Behind a reverse proxy (`trustProxy`), the right-most `X-Forwarded-For` entry is the one
 * our own proxy saw; entries further left were written by the client and are not believed.
 */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const value = Array.isArray(header) ? header.join(',') : header;
    const last = value?.split(',').map((s) => s.trim()).filter(Boolean).at(-1);
    const ip = normalizeIp(last);
    if (ip) return ip;
  }
  return normalizeIp(req.socket.remoteAddress) ?? 'unknown';
}

/** An address as 32 lower-case hex digits (IPv4 as `::ffff:a.b.c.d`): text order is address order, in any database. */
export function addressHex(address: string | undefined | null): string | null {
  const ip = normalizeIp(address);
  if (!ip) return null;
  if (isIP(ip) === 4) return `00000000000000000000ffff${ip.split('.').map((part) => Number(part).toString(16).padStart(2, '0')).join('')}`;
  return ipv6Groups(ip)!.map((group) => group.toString(16).padStart(4, '0')).join('');
}

/** A blockable network: its canonical text and its first and last address as `addressHex` digits. */
export interface Network {
  value: string;
  rangeStart: string;
  rangeEnd: string;
}

/**
 * An IPv4 or IPv6 address, or a CIDR network (`203.0.113.0/24`, `2001:db8::/32`), as a `Network`; null when the
 * text is neither. Host bits of a network are cleared, so `203.0.113.7/24` blocks `203.0.113.0/24`.
 */
export function parseNetwork(text: string): Network | null {
  const match = /^([^/\s]+)(?:\/(\d{1,3}))?$/.exec(text.trim());
  const ip = normalizeIp(match?.[1]);
  if (!match || !ip) return null;
  const v4 = isIP(ip) === 4;
  const bits = v4 ? 32 : 128;
  const prefix = match[2] === undefined ? bits : Number(match[2]);
  if (prefix > bits) return null;
  const hostBits = BigInt(bits - prefix);
  const address = BigInt(`0x${addressHex(ip)!}`);
  const hostMask = (1n << hostBits) - 1n;
  const start = address & ~hostMask;
  const end = start | hostMask;
  const hex = (n: bigint) => n.toString(16).padStart(32, '0');
  const startHex = hex(start);
  const shown = v4
    ? startHex.slice(24).match(/../g)!.map((byte) => parseInt(byte, 16)).join('.')
    : startHex.match(/.{4}/g)!.map((group) => parseInt(group, 16).toString(16)).join(':');
  return { value: prefix === bits ? shown : `${shown}/${prefix}`, rangeStart: startHex, rangeEnd: hex(end) };
}
