import {
  KRATIX_RESOURCE_PARAM,
  kratixEntityTabPath,
  kratixResourceKey,
  parseKratixResourceKey,
} from './links';
import { stringifyKratixPermissionRef } from './permissions';

const example = {
  cluster: 'sandbox',
  promise: 'redis',
  namespace: 'default',
  name: 'example',
};

describe('kratixResourceKey and parseKratixResourceKey', () => {
  it('writes <cluster>/<namespace>/<promise>/<name> and reads it back', () => {
    expect(kratixResourceKey(example)).toBe('sandbox/default/redis/example');
    expect(parseKratixResourceKey(kratixResourceKey(example))).toEqual(example);
  });

  it('round-trips odd names: slashes, colons, spaces, percent signs, non-ASCII', () => {
    const odd = {
      cluster: 'eu/west:1',
      promise: 'my promise',
      namespace: '100%',
      name: 'ünïcode?&=#',
    };
    const key = kratixResourceKey(odd);
    expect(key.split('/')).toHaveLength(4);
    expect(key).not.toContain(':');
    expect(parseKratixResourceKey(key)).toEqual(odd);
  });

  it('still reads the permission-ref form older links carry', () => {
    expect(
      parseKratixResourceKey(stringifyKratixPermissionRef(example)),
    ).toEqual(example);
    expect(parseKratixResourceKey('sandbox:redis/default/example')).toEqual(
      example,
    );
  });

  it('answers undefined for a value that names no Resource', () => {
    expect(parseKratixResourceKey('')).toBeUndefined();
    expect(parseKratixResourceKey('sandbox/default/redis')).toBeUndefined();
    expect(parseKratixResourceKey('a/b/c/d/e')).toBeUndefined();
    expect(parseKratixResourceKey('sandbox//redis/example')).toBeUndefined();
    expect(
      parseKratixResourceKey('sandbox/default/redis/%E0%A4%A'),
    ).toBeUndefined();
  });
});

describe('kratixEntityTabPath', () => {
  it('is the entity tab, namespace and kind lower-cased as the catalog routes them', () => {
    expect(kratixEntityTabPath('Component:Shop/Checkout-Service')).toBe(
      '/catalog/shop/component/Checkout-Service/kratix',
    );
    expect(
      kratixEntityTabPath({
        kind: 'Component',
        namespace: 'default',
        name: 'search-service',
      }),
    ).toBe('/catalog/default/component/search-service/kratix');
  });

  it('opens a Resource whose key the tab reads back from the query', () => {
    const odd = { ...example, cluster: 'eu/west', name: 'a b&c' };
    const path = kratixEntityTabPath('component:default/search-service', odd);
    const url = new URL(path, 'http://app.example');
    expect(url.pathname).toBe(
      '/catalog/default/component/search-service/kratix',
    );
    const param = url.searchParams.get(KRATIX_RESOURCE_PARAM);
    expect(param).toBe(kratixResourceKey(odd));
    expect(parseKratixResourceKey(param!)).toEqual(odd);
  });

  it('throws on an entity ref that does not parse', () => {
    expect(() => kratixEntityTabPath('search-service')).toThrow();
  });
});
