import { describe, expect, it } from 'vitest';
import { InFlight, type InFlightTicket } from './in-flight';

const caps = { maxInFlightRequests: 3, maxInFlightRequestsPerToken: 2, maxInFlightBodyBytes: 100, maxInFlightBodyBytesPerToken: 60 };

function admitted(x: ReturnType<InFlight['enter']>): InFlightTicket {
  if (!('leave' in x)) throw new Error(`refused: ${x.what} (${x.scope})`);
  return x;
}

describe('InFlight', () => {
  it('caps requests per token and per instance, and gives places back when requests end', () => {
    const f = new InFlight(caps, 0);
    const a1 = admitted(f.enter('a', 0));
    admitted(f.enter('a', 0));
    expect(f.enter('a', 0)).toEqual({ what: 'requests', scope: 'token' });
    admitted(f.enter('b', 0));
    expect(f.enter('c', 0)).toEqual({ what: 'requests', scope: 'instance' });
    a1.leave();
    a1.leave(); // twice is harmless
    admitted(f.enter('c', 0));
  });

  it('caps body bytes: declared up front, chunks as they come, released once the body is handled', () => {
    const f = new InFlight(caps, 0);
    const a = admitted(f.enter('a', 50));
    expect(f.enter('a', 20)).toEqual({ what: 'upload bytes', scope: 'token' });
    const b = admitted(f.enter('b', 0));
    expect(b.addBytes(40)).toBeNull();
    expect(b.addBytes(20)).toEqual({ what: 'upload bytes', scope: 'instance' }); // 50 + 40 + 20 > 100
    a.releaseBytes();
    expect(b.addBytes(20)).toBeNull();
    // The request still holds its place after its bytes are released.
    admitted(f.enter('a', 0));
    expect(f.enter('a', 0)).toEqual({ what: 'requests', scope: 'token' });
    a.leave();
    b.leave();
    admitted(f.enter('a', 60));
  });

  it('never refuses a small body for the bytes others hold', () => {
    const f = new InFlight({ ...caps, maxInFlightBodyBytes: 150_000, maxInFlightBodyBytesPerToken: 100_000 }); // default: up to 64 KB is small
    admitted(f.enter('a', 90_000));
    expect(f.enter('b', 70_000)).toEqual({ what: 'upload bytes', scope: 'instance' });
    admitted(f.enter('b', 1_000)); // a generation's JSON
  });
});
