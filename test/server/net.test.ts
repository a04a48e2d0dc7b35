import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FloodGuard, floodKeyForIp, normalizeIp, truncateIp } from '../../src/server/net.js';

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

describe('FloodGuard', () => {
  it('refuses inside the window with the seconds left, allows after, and undo forgets', () => {
    const g = new FloodGuard(15_000);
    const t0 = 1_000_000;
    assert.ok('undo' in g.take(['a', 'e'], t0));
    assert.deepEqual(g.take(['a'], t0 + 1), { retryAfter: 15 });
    assert.deepEqual(g.take(['b', 'e'], t0 + 14_001), { retryAfter: 1 });
    const ok = g.take(['b'], t0 + 14_001);
    assert.ok('undo' in ok);
    ok.undo();
    assert.ok('undo' in g.take(['b'], t0 + 14_002), 'undone, so b may post');
    assert.ok('undo' in g.take(['a', 'e'], t0 + 15_000));
  });

  it('prunes expired entries and never holds more than maxKeys', () => {
    const g = new FloodGuard(1_000, 500);
    let t = 0;
    for (let i = 0; i < 10_000; i++) g.take([`ip:${i}`], (t += 1));
    assert.ok(g.size <= 500, `size ${g.size}`);
    g.take(['late'], t + 10_000);
    assert.equal(g.size, 1, 'all expired entries are gone');
  });

  it('window 0 is off', () => {
    const g = new FloodGuard(0);
    for (let i = 0; i < 5; i++) assert.ok('undo' in g.take(['same'], 0));
    assert.equal(g.size, 0);
  });
});
