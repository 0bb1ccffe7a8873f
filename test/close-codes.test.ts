import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeCode,
  detectLibrary,
  IANA_REGISTRY,
  localize,
  rangeOf,
  RFC_DEFINED,
  STANDARD_CODES,
} from '../src/core/knowledge/close-codes.ts';
import { catalogue } from './helpers/catalogue.ts';
import { INTERMEDIARIES, matchIntermediaries, matchTolerance } from '../src/core/knowledge/intermediaries.ts';

describe('standard codes (RFC 6455 §7.4.1, IANA)', () => {
  it('has an entry for every code 1000–1015 and the IANA 3000/3003/3008', () => {
    const want = [...Array.from({ length: 16 }, (_, i) => 1000 + i), 3000, 3003, 3008];
    expect([...STANDARD_CODES]).toEqual(want);
    for (const c of want) expect(describeCode(c).known).toBe(true);
  });

  it('names them as the registry does', () => {
    expect(describeCode(1006).officialName).toBe('Abnormal Closure');
    expect(describeCode(1011).officialName).toBe('Internal Error');
    expect(describeCode(3000).officialName).toBe('Unauthorized');
    expect(describeCode(3003).officialName).toBe('Forbidden');
    expect(describeCode(3008).officialName).toBe('Timeout');
  });

  it('knows which codes never appear on the wire', () => {
    for (const c of [1004, 1005, 1006, 1015]) expect(describeCode(c).onWire).toBe(false);
    for (const c of [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014]) expect(describeCode(c).onWire).toBe(true);
    expect(describeCode(1006).sender).toBe('browser');
    expect(describeCode(1004).sender).toBe('nobody');
    expect(describeCode(1011).sender).toBe('server');
    expect(describeCode(1014).sender).toBe('gateway');
    expect(describeCode(1010).sender).toBe('client');
  });

  it('links the RFC for RFC codes and IANA for the IANA ones', () => {
    expect(describeCode(1006).learnMore).toBe(RFC_DEFINED);
    expect(describeCode(1006).source).toBe('RFC 6455 §7.4.1');
    for (const c of [1012, 1013, 1014, 3000]) expect(describeCode(c).learnMore).toBe(IANA_REGISTRY);
  });

  it('rates 1006 and 1011 as errors, 1000 as info', () => {
    expect(describeCode(1006).severity).toBe('error');
    expect(describeCode(1011).severity).toBe('error');
    expect(describeCode(1000).severity).toBe('info');
    expect(describeCode(1013).severity).toBe('warning');
  });

  it('explains 1006 as both a failed handshake and a cut, with the proxy numbers', () => {
    const text = describeCode(1006).causes.map((c) => c.en).join(' ');
    expect(text).toMatch(/handshake/);
    expect(text).toMatch(/nginx 60 s/);
    expect(text).toMatch(/invalid close code/);
  });
});

describe('ranges (RFC 6455 §7.4.2)', () => {
  it.each([
    [0, 'unused'],
    [999, 'unused'],
    [1016, 'protocol'],
    [2999, 'protocol'],
    [3001, 'registered'],
    [3999, 'registered'],
    [4000, 'private'],
    [4999, 'private'],
    [5000, 'invalid'],
    [-1, 'invalid'],
    [1000.5, 'invalid'],
    [Number.NaN, 'invalid'],
  ] as const)('%d is %s', (code, range) => {
    expect(rangeOf(code)).toBe(range);
    const info = describeCode(code);
    expect(info.range).toBe(range);
    expect(info.known).toBe(false);
    expect(info.name.en).not.toBe('');
  });

  it('an unknown private code gets the private-use meaning', () => {
    expect(describeCode(4321).meaning.en).toMatch(/application/);
    expect(describeCode(4321).onWire).toBe(true);
  });

  it('never throws, whatever the number', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double()), fc.string(), fc.string(), (code, url, protocol) => {
        const info = describeCode(code, { url, protocol, reason: url });
        expect(info.name.en.length).toBeGreaterThan(0);
        expect(info.name.ja.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('library codes recognised by context', () => {
  const gql = { protocol: 'graphql-transport-ws' };

  it('graphql-ws by its subprotocol', () => {
    const info = describeCode(4401, gql);
    expect(info.library?.id).toBe('graphql-ws');
    expect(info.officialName).toBe('Unauthorized');
    expect(info.learnMore).toBe('https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md');
    for (const c of [4400, 4401, 4403, 4406, 4408, 4409, 4429, 4500]) expect(describeCode(c, gql).sender).toBe('server');
    for (const c of [4004, 4005, 4504, 4499]) expect(describeCode(c, gql).sender).toBe('client');
  });

  it('graphql-ws by a requested subprotocol list (4406 negotiates none)', () => {
    expect(describeCode(4406, { protocol: 'graphql-transport-ws,other' }).library?.id).toBe('graphql-ws');
  });

  it('not the legacy "graphql-ws" subprotocol, whose codes differ', () => {
    expect(describeCode(4401, { protocol: 'graphql-ws' }).library).toBeUndefined();
  });

  it('the same number means nothing special without context', () => {
    expect(describeCode(4401).known).toBe(false);
    expect(describeCode(4401).range).toBe('private');
  });

  it('Discord gateway by host, 4000–4014 without 4006', () => {
    const url = 'wss://gateway.discord.gg/?v=10&encoding=json';
    for (let c = 4000; c <= 4014; c++) expect(describeCode(c, { url }).known).toBe(c !== 4006);
    expect(describeCode(4004, { url }).officialName).toBe('Authentication failed');
    expect(describeCode(4009, { url }).officialName).toBe('Session timed out');
    expect(describeCode(4014, { url }).officialName).toBe('Disallowed intent(s)');
    expect(describeCode(4000, { url: 'wss://example.discord.gg/' }).library?.id).toBe('discord');
  });

  it('Phoenix heartbeat timeout by reason, and Phoenix by URL', () => {
    const hb = describeCode(1000, { reason: 'heartbeat timeout' });
    expect(hb.library?.id).toBe('phoenix');
    expect(hb.name.en).toMatch(/Heartbeat timeout/);
    expect(hb.meaning.en).toMatch(/30 s/);
    const plain = describeCode(1000, { url: 'wss://x.example/socket/websocket?vsn=2.0.0' });
    expect(plain.officialName).toBe('Normal Closure');
    expect(plain.library?.id).toBe('phoenix');
    expect(plain.notes[0]?.en).toMatch(/heartbeat timeout/);
    expect(detectLibrary({ url: 'wss://x.example/socket/websocket' })).toBeUndefined();
  });

  it('Socket.IO by path, with its ping defaults', () => {
    const info = describeCode(1005, { url: 'wss://x.example/socket.io/?EIO=4&transport=websocket' });
    expect(info.library?.id).toBe('socket.io');
    expect(info.officialName).toBe('No Status Received');
    expect(info.notes[0]?.en).toMatch(/25 s/);
    expect(info.notes[0]?.en).toMatch(/20 s/);
  });
});

describe('catalogue and localize', () => {
  it('lists standard codes, ranges and library codes with unique keys', () => {
    const keys = catalogue().map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining(['1006', '4000-4999', '3000-3999', '0-999', '1016-2999', 'graphql-ws:4401', 'discord:4014']));
  });

  it('renders either language at runtime', () => {
    const info = describeCode(1006);
    expect(localize(info.name, 'en')).toBe('Abnormal Closure');
    expect(localize(info.name, 'ja')).toBe('異常切断');
    expect(localize('plain', 'ja')).toBe('plain');
  });
});

describe('intermediaries (docs/facts.md table)', () => {
  it('carries the default timeouts', () => {
    const byId = Object.fromEntries(INTERMEDIARIES.map((i) => [i.id, i.timeoutMs / 1000]));
    expect(byId).toMatchObject({
      nginx: 60,
      'aws-alb': 60,
      heroku: 55,
      cloudflare: 100,
      'gcp-lb': 30,
      'aws-apigw': 600,
      'aws-cloudfront': 600,
      'azure-lb': 240,
      'aws-apigw-lifetime': 7200,
    });
  });

  it('matches within ±3 s or ±5 %', () => {
    expect(matchTolerance(60_000)).toBe(3000);
    expect(matchTolerance(600_000)).toBe(30_000);
    const names = (silenceMs: number) => matchIntermediaries({ silenceMs, lifetimeMs: 1e9 }).map((m) => m.intermediary.id);
    expect(names(61_500)).toEqual(['nginx', 'aws-alb']);
    expect(names(55_200)).toEqual(['heroku']);
    expect(names(57_500)).toEqual(['heroku', 'nginx', 'aws-alb']);
    expect(names(64_000)).toEqual([]);
    expect(names(245_000)).toEqual(['azure-lb']);
    expect(names(620_000)).toEqual(['aws-apigw', 'aws-cloudfront']);
  });
});
