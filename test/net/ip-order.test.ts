import { describe, expect, it } from 'vitest';
import { compareIps } from '../../core/net/ip-cidr.js';

describe('address order', () => {
  it('sorts addresses as numbers, IPv4 before IPv6, non-addresses last', () => {
    const ips = ['10.244.1.100', 'fe80::1', '10.244.1.9', null, '10.244.1.10', '::ffff:10.0.0.1', '9.9.9.9', 'not-an-ip', '10.244.0.200'];
    expect([...ips].sort(compareIps)).toEqual(['9.9.9.9', '10.244.0.200', '10.244.1.9', '10.244.1.10', '10.244.1.100', '::ffff:10.0.0.1', 'fe80::1', null, 'not-an-ip']);
  });
});
