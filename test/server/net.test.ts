import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { floodKeyForIp, normalizeIp, truncateIp } from '../../src/server/net.js';

describe('client addresses', () => {
  it('truncates IPv4 to /24 and IPv6 to /48, IPv4-mapped IPv6 as IPv4', () => {
    const cases: [string, string | null][] = [
      ['203.0.113.77', '203.0.113.0'],
      ['::ffff:203.0.113.77', '203.0.113.0'],
      ['::FFFF:cb00:714d', '203.0.113.0'],
      ['2001:db8:abcd:12:34::1', '2001:db8:abcd::'],
      ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8:0::'],
      ['::1', '0:0:0::'],
      ['fe80::1%eth0', 'fe80:0:0::'],
      ['64:ff9b::192.0.2.33', '64:ff9b:0::'],
      ['not an ip', null],
      ['1.2.3', null],
      ['', null],
    ];
    for (const [ip, want] of cases) assert.equal(truncateIp(ip), want, ip);
  });

  it('normalises, and keys IPv6 floods on the /64', () => {
    assert.equal(normalizeIp('::ffff:10.0.0.1'), '10.0.0.1');
    assert.equal(normalizeIp('2001:DB8::1'), '2001:db8:0:0:0:0:0:1');
    assert.equal(floodKeyForIp('2001:db8:0:0:0:0:0:1'), '2001:db8:0:0::/64');
    assert.equal(floodKeyForIp('10.0.0.1'), '10.0.0.1');
  });
});
