import { describe, expect, it } from 'vitest';
import { parseRouteDevice } from '../../src/remote/remote-side.js';

describe('parseRouteDevice', () => {
  it("takes the route's device", () => {
    expect(parseRouteDevice('[{"dst":"10.214.0.2","dev":"migssh-ab","prefsrc":"10.214.0.1","flags":[],"uid":0,"cache":[]}]', '10.214.0.2')).toBe('migssh-ab');
  });
  it('refuses an answer without a device', () => {
    expect(() => parseRouteDevice('[]', '10.9.9.9')).toThrow(/no route to 10.9.9.9/);
  });
});
