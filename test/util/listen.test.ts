import { describe, expect, it } from 'vitest';
import { isLoopback, parseListen } from '../../src/util/listen.js';

describe('[HOST:]PORT', () => {
  it('takes a port alone (on 127.0.0.1), a host and port, an IPv6 address in brackets', () => {
    expect(parseListen('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListen(':8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListen('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(parseListen('localhost:0')).toEqual({ host: 'localhost', port: 0 });
    expect(parseListen('status.example.com:9100')).toEqual({ host: 'status.example.com', port: 9100 });
    expect(parseListen('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
  });

  it('says what is wrong with anything else', () => {
    expect(parseListen('http://x:80')).toMatch(/^expected \[HOST:\]PORT such as 8080/);
    expect(parseListen('::1:8080')).toMatch(/^expected \[HOST:\]PORT/);
    expect(parseListen('x:65536')).toBe('the port must be 0 to 65535, found 65536');
    expect(parseListen('[zz]:80')).toMatch(/^expected/);
    expect(parseListen('[1.2.3.4]:80')).toBe('"1.2.3.4" is not an IPv6 address');
    expect(parseListen('a_b:80')).toBe('"a_b" is not a host name or IP address');
    expect(parseListen('')).toMatch(/^expected/);
  });

  it('knows the loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '::', '10.0.0.1', 'example.com'].map(isLoopback)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
